package io.authstream.streams.analytics;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Pre-aggregation in the task that sees the events, before the repartition to the metric's key.
 * Without it every sign-in sent one record per metric to the partition of {@code sign_ins|},
 * {@code failed_login_rate|}, {@code active_users}, ...: one task did that work for the whole
 * application, whatever the number of instances. Here each task folds its events into one partial
 * per (key, time bucket) and, every {@code flushInterval} of wall-clock time, sends the partials
 * and forgets them; downstream, the window aggregates combine partials (sums, sketch unions) as
 * they combined single events, so every window ends with the same value.
 *
 * <p>A partial is sent with the latest event time folded into it, so it falls in the windows its
 * events fell in (the bucket divides every window size) and the window's timestamp, the rollup's
 * {@code updatedAt}, is its latest event's as before. The partials live in a logged, cached store:
 * exactly-once commits them with the input offsets they account for, and the cache writes each
 * partial to the changelog once per commit rather than once per event.
 *
 * @param <V> what an event contributes (a metric hit, a user id)
 * @param <P> the partial (a tally, a sketch)
 */
public final class TaskPartials<V, P> implements Processor<String, V, String, P> {

    /** A partial and the latest event time folded into it. */
    record Stamped<P>(P partial, long latest) {}

    private final String storeName;
    private final long bucketMs;
    private final Duration flushInterval;
    private final Supplier<P> empty;
    private final BiFunction<P, V, P> fold;
    private ProcessorContext<String, P> context;
    private KeyValueStore<String, Stamped<P>> partials;
    /**
     * The store's partials as objects, so an event does not read one back from its bytes (an HLL
     * sketch rebuilds its hash set on every read). Emptied whenever the task (re)initialises, so
     * it never holds what the store does not.
     */
    private Map<String, Stamped<P>> live = new HashMap<>();

    private TaskPartials(
            String storeName, Duration bucket, Duration flushInterval, Supplier<P> empty, BiFunction<P, V, P> fold) {
        this.storeName = storeName;
        this.bucketMs = bucket.toMillis();
        this.flushInterval = flushInterval;
        this.empty = empty;
        this.fold = fold;
    }

    /**
     * @param bucket the time bucket of a partial: must divide every window size downstream
     * @param partialSerde how the store keeps a partial
     */
    public static <V, P> ProcessorSupplier<String, V, String, P> supplier(
            String storeName,
            Duration bucket,
            Duration flushInterval,
            Serde<P> partialSerde,
            Supplier<P> empty,
            BiFunction<P, V, P> fold) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, V, String, P> get() {
                return new TaskPartials<>(storeName, bucket, flushInterval, empty, fold);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(storeName), Serdes.String(), stampedSerde(partialSerde))
                        .withCachingEnabled()
                        .withLoggingEnabled(Map.of()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, P> context) {
        this.context = context;
        this.partials = context.getStateStore(storeName);
        this.live = new HashMap<>();
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, V> record) {
        long bucket = record.timestamp() - Math.floorMod(record.timestamp(), bucketMs);
        String slot = bucket + "|" + record.key();
        Stamped<P> current = live.get(slot);
        if (current == null) {
            current = partials.get(slot);
        }
        P partial = fold.apply(current == null ? empty.get() : current.partial(), record.value());
        long latest = current == null ? record.timestamp() : Math.max(current.latest(), record.timestamp());
        Stamped<P> next = new Stamped<>(partial, latest);
        live.put(slot, next);
        partials.put(slot, next);
    }

    /** Sends every partial, in bucket order per key, and forgets it. */
    private void flush() {
        List<KeyValue<String, Stamped<P>>> all = new ArrayList<>();
        try (var iterator = partials.all()) {
            iterator.forEachRemaining(all::add);
        }
        for (KeyValue<String, Stamped<P>> entry : all) {
            String key = entry.key.substring(entry.key.indexOf('|') + 1);
            context.forward(new Record<>(key, entry.value.partial(), entry.value.latest()));
            partials.delete(entry.key);
        }
        live.clear();
    }

    static <P> Serde<Stamped<P>> stampedSerde(Serde<P> partialSerde) {
        return Serdes.serdeFrom(
                (topic, stamped) -> {
                    if (stamped == null) {
                        return null;
                    }
                    byte[] partial = partialSerde.serializer().serialize(topic, stamped.partial());
                    return ByteBuffer.allocate(Long.BYTES + partial.length)
                            .putLong(stamped.latest())
                            .put(partial)
                            .array();
                },
                (topic, bytes) -> {
                    if (bytes == null) {
                        return null;
                    }
                    if (bytes.length < Long.BYTES) {
                        throw new SerializationException(
                                "a stamped partial starts with its 8-byte time; " + bytes.length + " bytes");
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    long latest = buffer.getLong();
                    byte[] partial = new byte[buffer.remaining()];
                    buffer.get(partial);
                    return new Stamped<>(partialSerde.deserializer().deserialize(topic, partial), latest);
                });
    }
}
