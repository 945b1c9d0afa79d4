package io.authstream.streams.analytics;

import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;
import org.apache.datasketches.memory.Memory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.TimestampedWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Distinct active users (a successful sign-in) per day, 7 days and 30 days, estimated with an
 * Apache DataSketches HLL sketch per day: sketches merge without loss, so the 7- and 30-day
 * figures are unions of daily sketches, never sums of daily counts.
 *
 * <p>With {@code lgK = 12} the relative standard error is about 1.6%; every rollup carries the
 * error of its own sketch (from the sketch's bounds: under 0.01% while a daily sketch is still an exact
 * list of a few hundred users).
 */
public final class ActiveUsers {

    public static final String METRIC = "active_users";
    public static final String KEY = METRIC;
    public static final String STORE = "analytics-active-users-daily";
    public static final int LG_K = 12;
    public static final Duration RETENTION = Duration.ofDays(40);
    /** A day's sketch takes events as long as the day is within the store's retention (see {@link Granularity#grace}). */
    public static final Duration GRACE = RETENTION.minus(Duration.ofDays(1));

    static final List<Integer> SPANS_IN_DAYS = List.of(1, 7, 30);

    public static final Serde<HllSketch> SERDE = Serdes.serdeFrom(
            (topic, sketch) -> sketch == null ? null : sketch.toCompactByteArray(),
            (topic, bytes) -> bytes == null ? null : sketch(bytes));

    /**
     * A task's partial sketch on the active users' repartition topic. Also reads a plain user id,
     * what that topic carried before partials (a compact sketch starts with its preamble length,
     * a control character; user ids are printable), so records written by an older version still
     * count.
     */
    public static final Serde<HllSketch> PARTIAL_SERDE =
            Serdes.serdeFrom((topic, sketch) -> sketch == null ? null : sketch.toCompactByteArray(), (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length > 0 && (bytes[0] & 0xFF) >= 0x20) {
                    return add(empty(), new String(bytes, StandardCharsets.UTF_8));
                }
                return sketch(bytes);
            });

    /**
     * A sketch read from a store or topic, refused unless it is one this application makes (its
     * {@link #LG_K}): a union takes a coarser sketch without a word and would lose the day's
     * precision for good.
     */
    private static HllSketch sketch(byte[] bytes) {
        HllSketch sketch;
        try {
            sketch = HllSketch.heapify(Memory.wrap(bytes));
        } catch (RuntimeException | AssertionError e) { // DataSketches checks some input with assert
            throw new SerializationException("not an HLL sketch (" + bytes.length + " bytes): " + e.getMessage(), e);
        }
        if (sketch.getLgConfigK() != LG_K) {
            throw new SerializationException("an HLL sketch of lgK " + sketch.getLgConfigK() + ", not " + LG_K);
        }
        return sketch;
    }

    private ActiveUsers() {}

    public static boolean counts(AuthEvent event) {
        return event.getUserId() != null
                && "user.signed_in".equals(event.getType())
                && event.getOutcome() == Outcome.SUCCESS;
    }

    public static HllSketch empty() {
        return new HllSketch(LG_K, TgtHllType.HLL_4);
    }

    public static HllSketch add(HllSketch sketch, String userId) {
        sketch.update(userId);
        return sketch;
    }

    /**
     * A day's sketch with a task's partial sketch of the same day merged in: the users of both,
     * always through a union so that a day's estimate does not depend on how its users were split
     * into partials.
     */
    public static HllSketch merge(HllSketch day, HllSketch partial) {
        Union union = new Union(LG_K);
        union.update(day);
        union.update(partial);
        return union.getResult(TgtHllType.HLL_4);
    }

    /** One standard error relative to the estimate (68% confidence), from the sketch's own bounds; 0 while exact. */
    static double relativeError(HllSketch sketch) {
        double estimate = sketch.getEstimate();
        return estimate == 0 ? 0.0 : (sketch.getUpperBound(1) - estimate) / estimate;
    }

    /** Label of a span on the rollups and in the HTTP API: {@code day}, {@code 7d}, {@code 30d}. */
    static String label(int days) {
        return days == 1 ? "day" : days + "d";
    }

    /** The union of the daily sketches from {@code firstDay} to {@code lastDay} (window starts). */
    static HllSketch union(
            ReadOnlyWindowStore<String, ValueAndTimestamp<HllSketch>> store, long firstDay, long lastDay) {
        Union union = new Union(LG_K);
        try (var days = store.fetch(KEY, Instant.ofEpochMilli(firstDay), Instant.ofEpochMilli(lastDay))) {
            days.forEachRemaining(day -> union.update(day.value.value()));
        }
        return union.getResult(TgtHllType.HLL_4);
    }

    static AnalyticsRollup rollup(int days, long lastDayStart, HllSketch sketch, long updatedAt) {
        long dayMs = Duration.ofDays(1).toMillis();
        double estimate = sketch.isEmpty() ? 0 : Math.round(sketch.getEstimate());
        return AnalyticsRollup.newBuilder()
                .setMetric(METRIC)
                .setGranularity(label(days))
                .setWindowStart(Instant.ofEpochMilli(lastDayStart - (days - 1) * dayMs))
                .setWindowEnd(Instant.ofEpochMilli(lastDayStart + dayMs))
                .setDimension(null)
                .setCount((long) estimate)
                .setTotal(null)
                .setValue(estimate)
                .setRelativeError(relativeError(sketch))
                .setUpdatedAt(Instant.ofEpochMilli(updatedAt))
                .build();
    }

    /**
     * Rollups for a day whose sketch changed: that day, and the 7 and 30 days ending with it; and,
     * when later days are already in the store (the day was backfilled), the 7 and 30 days ending
     * with each of those that hold the changed day, so that each span's last rollup is the union
     * of its days' last sketches, as when the events come in order.
     */
    public static ProcessorSupplier<Windowed<String>, HllSketch, String, AnalyticsRollup> rollups() {
        return () -> new Processor<>() {
            private ProcessorContext<String, AnalyticsRollup> context;
            private TimestampedWindowStore<String, HllSketch> store;

            @Override
            public void init(ProcessorContext<String, AnalyticsRollup> context) {
                this.context = context;
                this.store = context.getStateStore(STORE);
            }

            @Override
            public void process(Record<Windowed<String>, HllSketch> record) {
                long day = record.key().window().start();
                long dayMs = Duration.ofDays(1).toMillis();
                for (int span : SPANS_IN_DAYS) {
                    HllSketch sketch = span == 1 ? record.value() : union(store, day - (span - 1) * dayMs, day);
                    forward(rollup(span, day, sketch, record.timestamp()), record.timestamp());
                }
                int longest = SPANS_IN_DAYS.get(SPANS_IN_DAYS.size() - 1);
                try (var later = store.fetch(
                        KEY, Instant.ofEpochMilli(day + dayMs), Instant.ofEpochMilli(day + (longest - 1) * dayMs))) {
                    while (later.hasNext()) {
                        KeyValue<Long, ValueAndTimestamp<HllSketch>> next = later.next();
                        for (int span : SPANS_IN_DAYS) {
                            if (span > 1 && next.key - day < span * dayMs) {
                                HllSketch sketch = union(store, next.key - (span - 1) * dayMs, next.key);
                                forward(rollup(span, next.key, sketch, next.value.timestamp()), record.timestamp());
                            }
                        }
                    }
                }
            }

            private void forward(AnalyticsRollup rollup, long timestamp) {
                context.forward(new Record<>(Rollups.key(rollup), rollup, timestamp));
            }
        };
    }

    /** For the HTTP API: the rollups of every day from {@code from} to {@code to} (window starts) at one span. */
    public static List<AnalyticsRollup> query(
            ReadOnlyWindowStore<String, ValueAndTimestamp<HllSketch>> store, int span, long from, long to) {
        long dayMs = Duration.ofDays(1).toMillis();
        List<AnalyticsRollup> result = new ArrayList<>();
        try (var days = store.fetch(KEY, Instant.ofEpochMilli(from), Instant.ofEpochMilli(to))) {
            while (days.hasNext()) {
                KeyValue<Long, ValueAndTimestamp<HllSketch>> day = days.next();
                HllSketch sketch = span == 1 ? day.value.value() : union(store, day.key - (span - 1) * dayMs, day.key);
                result.add(rollup(span, day.key, sketch, day.value.timestamp()));
            }
        }
        return result;
    }

    /** The span labels the rollups and the HTTP API use, shortest first. */
    public static List<String> spanLabels() {
        return SPANS_IN_DAYS.stream().map(ActiveUsers::label).toList();
    }

    /** Days of a span label ({@code day} → 1, {@code 7d} → 7, ...). */
    public static int spanDays(String label) {
        return SPANS_IN_DAYS.stream()
                .filter(days -> label(days).equals(label))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no active-users span '" + label + "'"));
    }
}
