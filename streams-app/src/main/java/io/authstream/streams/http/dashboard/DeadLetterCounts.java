package io.authstream.streams.http.dashboard;

import java.util.Map;
import java.util.TreeMap;

/**
 * Dead letters counted by reason code and by source, as their headers name them (a record without
 * the header counts as {@code unknown}: other producers may write the topic too).
 */
public final class DeadLetterCounts {

    static final String UNKNOWN = "unknown";

    private final Map<String, Long> byReason = new TreeMap<>();
    private final Map<String, Long> bySource = new TreeMap<>();
    private long total;

    public synchronized void count(String reason, String source) {
        byReason.merge(reason == null || reason.isBlank() ? UNKNOWN : reason, 1L, Long::sum);
        bySource.merge(source == null || source.isBlank() ? UNKNOWN : source, 1L, Long::sum);
        total++;
    }

    public synchronized Snapshot snapshot() {
        return new Snapshot(total, Map.copyOf(byReason), Map.copyOf(bySource));
    }

    /** The counts at one moment: {@code total} = the sum of either map. */
    public record Snapshot(long total, Map<String, Long> byReason, Map<String, Long> bySource) {
        public Snapshot {
            byReason = new TreeMap<>(byReason);
            bySource = new TreeMap<>(bySource);
        }
    }
}
