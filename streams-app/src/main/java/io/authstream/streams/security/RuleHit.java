package io.authstream.streams.security;

import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.Severity;
import io.authstream.streams.rules.RuleSummaries;
import io.authstream.streams.serde.BinaryStateSerde;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serde;

/**
 * One event matched by one rule, with what its counting needs and nothing else: the rule's
 * figures (as they were when the event matched, so a rule changed meanwhile does not mix), the
 * subject, the event's id, time and counted value, and the summary with its fields filled. Hits
 * of counted rules travel to the counter on a repartition topic keyed by {@link #key()}; the
 * events themselves (raw JSON included) do not.
 *
 * @param subject the groupBy values joined with {@code |}
 * @param userId the event's user when the rule groups by user (or is a single-event rule), else null
 * @param ip the event's IP when the rule groups by IP (or is a single-event rule), else null
 * @param value what is counted: the distinct field's value, else the event id
 * @param summary the summary with every placeholder but the count filled (see RuleSummaries)
 * @param attributes extra alert attributes (single-event rules: the Auth0 type, the e-mail)
 */
public record RuleHit(
        String ruleId,
        int ruleVersion,
        Severity severity,
        int threshold,
        long windowMs,
        long gapMs,
        boolean distinct,
        String subject,
        String userId,
        String ip,
        String eventId,
        long time,
        String value,
        String summary,
        Map<String, String> attributes) {

    /** The counter's record key and store key: one (rule, subject). */
    public String key() {
        return ruleId + "\u0000" + subject;
    }

    /** Whether the hit is an alert by itself (threshold 1, nothing counted, no incident gap). */
    public boolean stateless() {
        return threshold == 1 && !distinct && gapMs == 0;
    }

    /** The alert of a single-event rule's hit. */
    public SecurityAlert alert() {
        Map<String, String> all = new HashMap<>(attributes);
        all.put("rule_version", Integer.toString(ruleVersion));
        return Alerts.alert(
                ruleId, severity, userId, ip, time, time, RuleSummaries.withCount(summary, 1), List.of(eventId), all);
    }

    private static final int FORMAT = 1;
    private static final Severity[] SEVERITIES = Severity.values();

    /** Only this application reads the repartition topic; a leading format byte leaves room to change. */
    public static final Serde<RuleHit> SERDE = BinaryStateSerde.of(
            (hit, out) -> {
                out.writeByte(FORMAT);
                writeText(out, hit.ruleId);
                out.writeInt(hit.ruleVersion);
                out.writeByte(hit.severity.ordinal());
                out.writeInt(hit.threshold);
                out.writeLong(hit.windowMs);
                out.writeLong(hit.gapMs);
                out.writeBoolean(hit.distinct);
                writeText(out, hit.subject);
                writeNullable(out, hit.userId);
                writeNullable(out, hit.ip);
                writeText(out, hit.eventId);
                out.writeLong(hit.time);
                writeText(out, hit.value);
                writeText(out, hit.summary);
                out.writeInt(hit.attributes.size());
                for (Map.Entry<String, String> e : new TreeMap<>(hit.attributes).entrySet()) {
                    writeText(out, e.getKey());
                    writeText(out, e.getValue());
                }
            },
            in -> {
                int format = in.readUnsignedByte();
                if (format != FORMAT) {
                    throw new IOException("unknown rule hit format " + format);
                }
                String ruleId = readText(in);
                int version = in.readInt();
                Severity severity = SEVERITIES[in.readUnsignedByte()];
                int threshold = in.readInt();
                long window = in.readLong();
                long gap = in.readLong();
                boolean distinct = in.readBoolean();
                String subject = readText(in);
                String userId = readNullable(in);
                String ip = readNullable(in);
                String eventId = readText(in);
                long time = in.readLong();
                String value = readText(in);
                String summary = readText(in);
                Map<String, String> attributes = new HashMap<>();
                for (int i = in.readInt(); i > 0; i--) {
                    attributes.put(readText(in), readText(in));
                }
                return new RuleHit(
                        ruleId,
                        version,
                        severity,
                        threshold,
                        window,
                        gap,
                        distinct,
                        subject,
                        userId,
                        ip,
                        eventId,
                        time,
                        value,
                        summary,
                        Map.copyOf(attributes));
            });

    private static void writeNullable(DataOutputStream out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            writeText(out, text);
        }
    }

    private static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? readText(in) : null;
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readText(DataInputStream in) throws IOException {
        return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
    }
}
