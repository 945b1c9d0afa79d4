package io.authstream.streams.http.dashboard;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Dead letters counted by reason code and by source, as their headers name them (a record without
 * the header counts as {@code unknown}: other producers may write the topic too), and the marks
 * {@code authstream dlq redrive} leaves on {@code auth.deadletter.redriven}, one per dead letter it
 * re-sent (keyed by its position; a tombstone takes it back): what is left is what awaits a fix
 * and a redrive, as messages left in an SQS dead-letter queue do.
 */
public final class DeadLetterCounts {

    static final String UNKNOWN = "unknown";

    private final Map<String, Long> byReason = new TreeMap<>();
    private final Map<String, Long> bySource = new TreeMap<>();
    private long total;
    /** Dead-letter position to the reason its mark names. */
    private final Map<String, String> redriven = new HashMap<>();

    public synchronized void count(String reason, String source) {
        byReason.merge(orUnknown(reason), 1L, Long::sum);
        bySource.merge(orUnknown(source), 1L, Long::sum);
        total++;
    }

    /** A redrive's mark: the dead letter at {@code position} was re-sent. */
    public synchronized void redriven(String position, String reason) {
        redriven.put(position, orUnknown(reason));
    }

    /** A mark's tombstone: the dead letter at {@code position} counts as awaiting again. */
    public synchronized void unmarked(String position) {
        redriven.remove(position);
    }

    public synchronized Snapshot snapshot() {
        Map<String, Long> redrivenByReason = new TreeMap<>();
        redriven.values().forEach(reason -> redrivenByReason.merge(reason, 1L, Long::sum));
        return new Snapshot(total, Map.copyOf(byReason), Map.copyOf(bySource), redrivenByReason);
    }

    private static String orUnknown(String value) {
        return value == null || value.isBlank() ? UNKNOWN : value;
    }

    /**
     * The counts at one moment: {@code total} = the sum of either map; {@code redrivenByReason}
     * the marks of a redrive by the reason of the dead letter re-sent.
     */
    public record Snapshot(
            long total, Map<String, Long> byReason, Map<String, Long> bySource, Map<String, Long> redrivenByReason) {
        public Snapshot {
            byReason = new TreeMap<>(byReason);
            bySource = new TreeMap<>(bySource);
            redrivenByReason = new TreeMap<>(redrivenByReason);
        }

        /** By reason, the dead letters no redrive re-sent (never below 0: a mark can outlive its dead letter). */
        public Map<String, Long> awaitingByReason() {
            Map<String, Long> awaiting = new TreeMap<>();
            byReason.forEach((reason, count) ->
                    awaiting.put(reason, Math.max(0, count - redrivenByReason.getOrDefault(reason, 0L))));
            return awaiting;
        }

        public long awaiting() {
            return awaitingByReason().values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }
}
