package io.authstream.streams.analytics;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;

/**
 * One contribution of an event to a counted metric, keyed {@code metric|dimension}: a plain
 * count, or an attempt that succeeded or failed (for rates). One byte on the repartition topic
 * instead of the whole event.
 */
public enum MetricHit {
    COUNT,
    ATTEMPT_SUCCEEDED,
    ATTEMPT_FAILED;

    public static final String SIGN_INS = "sign_ins";
    public static final String FAILED_LOGIN_RATE = "failed_login_rate";
    public static final String SIGN_UPS = "sign_ups";
    public static final String NEW_USERS = "new_users";

    public static final Serde<MetricHit> SERDE = Serdes.serdeFrom(
            (topic, hit) -> hit == null ? null : new byte[] {(byte) hit.ordinal()},
            (topic, bytes) -> bytes == null ? null : of(bytes));

    private static MetricHit of(byte[] bytes) {
        if (bytes.length != 1 || bytes[0] < 0 || bytes[0] >= values().length) {
            throw new SerializationException("not a metric hit: " + bytes.length + " bytes, the first "
                    + (bytes.length == 0 ? "missing" : Byte.toString(bytes[0])));
        }
        return values()[bytes[0]];
    }

    /** The metrics an event counts in, keyed {@code metric|dimension} ({@code metric|} for the total). */
    public static List<KeyValue<String, MetricHit>> of(AuthEvent event) {
        List<KeyValue<String, MetricHit>> hits = new ArrayList<>();
        boolean signInAttempt =
                "user.signed_in".equals(event.getType()) || "user.sign_in_failed".equals(event.getType());
        if (signInAttempt) {
            boolean failed = event.getOutcome() == Outcome.FAILURE;
            hits.add(KeyValue.pair(key(FAILED_LOGIN_RATE, null), failed ? ATTEMPT_FAILED : ATTEMPT_SUCCEEDED));
            if (!failed) {
                hits.add(KeyValue.pair(key(SIGN_INS, null), COUNT));
                dimension(hits, SIGN_INS, "provider", event.getProvider());
                dimension(hits, SIGN_INS, "connection", event.getConnection());
                dimension(
                        hits,
                        SIGN_INS,
                        "client",
                        event.getClientName() != null ? event.getClientName() : event.getClientId());
            }
        }
        if ("user.signed_up".equals(event.getType()) && event.getOutcome() != Outcome.FAILURE) {
            hits.add(KeyValue.pair(key(SIGN_UPS, null), COUNT));
        }
        return hits;
    }

    /** {@code metric|dimension}, the key of the count stores and of the metric's partition. */
    public static String key(String metric, String dimension) {
        return metric + "|" + (dimension == null ? "" : dimension);
    }

    private static void dimension(List<KeyValue<String, MetricHit>> hits, String metric, String name, String value) {
        if (value != null && !value.isBlank()) {
            hits.add(KeyValue.pair(key(metric, name + "=" + value), COUNT));
        }
    }
}
