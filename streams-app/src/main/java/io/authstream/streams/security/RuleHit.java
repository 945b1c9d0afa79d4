package io.authstream.streams.security;

import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.Severity;
import io.authstream.streams.rules.RuleSummaries;
import io.authstream.streams.serde.BinaryStateSerde;
import io.authstream.streams.serde.StateInput;
import io.authstream.streams.serde.StateOutput;
import java.io.IOException;
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
                out.writeText(hit.ruleId);
                out.writeInt(hit.ruleVersion);
                out.writeByte(hit.severity.ordinal());
                out.writeInt(hit.threshold);
                out.writeLong(hit.windowMs);
                out.writeLong(hit.gapMs);
                out.writeBoolean(hit.distinct);
                out.writeText(hit.subject);
                writeNullable(out, hit.userId);
                writeNullable(out, hit.ip);
                out.writeText(hit.eventId);
                out.writeLong(hit.time);
                out.writeText(hit.value);
                out.writeText(hit.summary);
                out.writeInt(hit.attributes.size());
                for (Map.Entry<String, String> e : new TreeMap<>(hit.attributes).entrySet()) {
                    out.writeText(e.getKey());
                    out.writeText(e.getValue());
                }
            },
            in -> {
                int format = in.readUnsignedByte();
                if (format != FORMAT) {
                    throw new IOException("unknown rule hit format " + format);
                }
                String ruleId = in.readText();
                int version = in.readInt();
                int severityIndex = in.readUnsignedByte();
                if (severityIndex >= SEVERITIES.length) {
                    throw new IOException("unknown severity " + severityIndex + " in a rule hit");
                }
                Severity severity = SEVERITIES[severityIndex];
                int threshold = in.readInt();
                long window = in.readLong();
                long gap = in.readLong();
                boolean distinct = in.readBoolean();
                String subject = in.readText();
                String userId = readNullable(in);
                String ip = readNullable(in);
                String eventId = in.readText();
                long time = in.readLong();
                String value = in.readText();
                String summary = in.readText();
                Map<String, String> attributes = new HashMap<>();
                for (int i = in.readInt(); i > 0; i--) {
                    attributes.put(in.readText(), in.readText());
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

    private static void writeNullable(StateOutput out, String text) throws IOException {
        out.writeBoolean(text != null);
        if (text != null) {
            out.writeText(text);
        }
    }

    private static String readNullable(StateInput in) throws IOException {
        return in.readBoolean() ? in.readText() : null;
    }
}
