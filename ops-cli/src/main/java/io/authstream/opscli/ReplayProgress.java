package io.authstream.opscli;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** One progress line of a replay: consumed of total, the rate since the start, the time left at that rate. */
final class ReplayProgress {

    private final long total;
    private final Instant started;

    ReplayProgress(long total, Instant started) {
        this.total = total;
        this.started = started;
    }

    String line(long consumed, Instant now) {
        double seconds = Math.max(1, Duration.between(started, now).toMillis()) / 1000.0;
        double rate = consumed / seconds;
        long percent = total == 0 ? 100 : consumed * 100 / total;
        String eta = consumed >= total
                ? "done"
                : rate <= 0
                        ? "ETA unknown"
                        : "ETA " + format(Duration.ofSeconds((long) Math.ceil((total - consumed) / rate)));
        return String.format(
                Locale.ROOT,
                "replay: %d of %d record(s) consumed (%d%%), %.1f records/s, %s",
                consumed,
                total,
                percent,
                rate,
                eta);
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 3600
                ? (s / 3600) + "h" + (s % 3600 / 60) + "m"
                : s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
    }
}
