package io.authstream.connect.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * How far a task paging through the tenant's history has come: logs read, the date of the last
 * log reached against now, and the rate. A line at most every {@code interval} while it is behind
 * (its batches come back full, or it starts from the oldest log), one when it catches up; and
 * the task's plugin metrics {@value #LOGS_READ}, {@value #LAG} and {@value #BEHIND}, so a
 * dashboard or alert sees a backfill that stalls.
 */
final class BackfillProgress {

    static final String LOGS_READ = "logs-read-total";
    static final String LAG = "log-date-lag-seconds";
    static final String BEHIND = "backfilling";

    private final String tenant;
    private final Duration interval;
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong lastDateMillis = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong nowMillis = new AtomicLong();
    private volatile boolean behind;
    private Instant since;
    private long readSince;
    private Instant lastLine;

    /** @param metrics the task's plugin metrics; null when the worker offers none */
    BackfillProgress(String tenant, Duration interval, PluginMetrics metrics, Instant now) {
        this.tenant = tenant;
        this.interval = interval;
        this.nowMillis.set(now.toEpochMilli());
        this.lastLine = now;
        this.since = now;
        if (metrics != null) {
            LinkedHashMap<String, String> tags = new LinkedHashMap<>();
            metrics.addMetric(
                    metrics.metricName(LOGS_READ, "Auth0 logs this task has read since it started", tags),
                    (Measurable) (config, at) -> read.get());
            metrics.addMetric(
                    metrics.metricName(
                            LAG,
                            "Seconds between the date of the last log read and the last read; -1 before one",
                            tags),
                    (Measurable) (config, at) -> lagSeconds());
            metrics.addMetric(
                    metrics.metricName(
                            BEHIND, "1 while the task pages through history (full batches), 0 once caught up", tags),
                    (Measurable) (config, at) -> behind ? 1 : 0);
        }
    }

    /**
     * One batch read: {@code count} logs, the last one dated {@code lastDate} (empty when none had
     * a readable date), {@code full} when the API had more to give. Returns the line to log, if one is due.
     */
    Optional<String> batch(int count, Optional<Instant> lastDate, boolean full, Instant now) {
        read.addAndGet(count);
        lastDate.ifPresent(date -> lastDateMillis.set(date.toEpochMilli()));
        nowMillis.set(now.toEpochMilli());
        if (full) {
            if (!behind) {
                behind = true;
                since = now;
                readSince = read.get() - count;
                lastLine = now;
            }
            if (Duration.between(lastLine, now).compareTo(interval) >= 0) {
                lastLine = now;
                return Optional.of(line(now, "backfill"));
            }
            return Optional.empty();
        }
        if (behind) {
            behind = false;
            return Optional.of(line(now, "backfill caught up"));
        }
        return Optional.empty();
    }

    long logsRead() {
        return read.get();
    }

    boolean behind() {
        return behind;
    }

    double lagSeconds() {
        long date = lastDateMillis.get();
        return date == Long.MIN_VALUE ? -1 : Math.max(0, nowMillis.get() - date) / 1000.0;
    }

    private String line(Instant now, String what) {
        long readHere = read.get() - readSince;
        double seconds = Math.max(1, Duration.between(since, now).toMillis()) / 1000.0;
        long date = lastDateMillis.get();
        String reached = date == Long.MIN_VALUE
                ? "no dated log yet"
                : "reached " + Instant.ofEpochMilli(date) + " ("
                        + human(Duration.ofMillis(Math.max(0, now.toEpochMilli() - date))) + " behind now)";
        return String.format(
                Locale.ROOT,
                "%s of %s: %d logs read, %s, %.1f logs/s",
                what,
                tenant,
                readHere,
                reached,
                readHere / seconds);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s >= 86_400) {
            return (s / 86_400) + "d " + (s % 86_400 / 3600) + "h";
        }
        if (s >= 3600) {
            return (s / 3600) + "h " + (s % 3600 / 60) + "m";
        }
        return s >= 60 ? (s / 60) + "m " + (s % 60) + "s" : s + "s";
    }
}
