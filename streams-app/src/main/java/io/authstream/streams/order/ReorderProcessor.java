package io.authstream.streams.order;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.serde.StateAvroSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Holds each event up to {@code grace} and releases events per key in (occurredAt, eventId) order.
 *
 * <p>Release happens when stream time passes an event's time plus the grace, and, so that a quiet
 * partition does not hold events forever, when the task has received nothing for the grace on the
 * wall clock: then everything buffered is released, in order. While input flows, stream time does
 * the releasing; in particular a restarted instance working through a backlog does not flush its
 * restored buffer early (that would make the backlog's earlier events late).
 * An event that arrives after a later event of its key was released is emitted at once with the
 * header {@code authstream.late=true} and counted: late, never dropped. Emitted records keep the
 * event time as their timestamp.
 *
 * <p>The last released position of a key is remembered for {@code memory} of stream time (the
 * dedup retention), then forgotten by a sweep, so the store does not grow with every key ever
 * seen. An event older than stream time minus {@code memory} is late whatever its key: that is
 * exactly the case the sweep could otherwise hide, so forgetting never un-marks a late event.
 */
public final class ReorderProcessor implements Processor<String, AuthEvent, String, AuthEvent> {

    public static final String BUFFER_STORE = "reorder-buffer";
    public static final String RELEASED_STORE = "reorder-last-released";
    public static final String LATE_HEADER = "authstream.late";

    private static final StateAvroSerde<AuthEvent> EVENTS = new StateAvroSerde<>(AuthEvent.class);

    private final Duration grace;
    private final Duration punctuateInterval;
    private final Duration memory;
    private ProcessorContext<String, AuthEvent> context;
    private KeyValueStore<Bytes, byte[]> buffer;
    private KeyValueStore<String, Bytes> lastReleased;
    private Sensor late;
    private long lastInputAt;
    /**
     * No buffered event is older than this (MIN_VALUE: not known, as after a restore). Scans start
     * here rather than at the store's first key: released events leave RocksDB tombstones at the
     * front of the buffer, and a scan from the first key walks over all of them until compaction,
     * which made every release cost as much as the whole recent history.
     */
    private long earliestBuffered = Long.MIN_VALUE;

    ReorderProcessor(Duration grace, Duration punctuateInterval, Duration memory) {
        this.grace = grace;
        this.punctuateInterval = punctuateInterval;
        this.memory = memory;
    }

    /**
     * @param memory how long (stream time) the last released position of a key is kept
     */
    public static ProcessorSupplier<String, AuthEvent, String, AuthEvent> supplier(
            Duration grace, Duration punctuateInterval, Duration memory) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AuthEvent, String, AuthEvent> get() {
                return new ReorderProcessor(grace, punctuateInterval, memory);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(BUFFER_STORE), Serdes.Bytes(), Serdes.ByteArray()),
                        Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(RELEASED_STORE), Serdes.String(), Serdes.Bytes()));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, AuthEvent> context) {
        this.context = context;
        this.buffer = context.getStateStore(BUFFER_STORE);
        this.lastReleased = context.getStateStore(RELEASED_STORE);
        // init also runs when Kafka Streams revives this task onto restored state (after a
        // corruption, under exactly-once), which may again hold events released since the last commit.
        this.earliestBuffered = Long.MIN_VALUE;
        this.late = context.metrics().addSensor("reorder-late-events-" + context.taskId(), Sensor.RecordingLevel.INFO);
        late.add(
                new MetricName(
                        "reorder-late-events-total",
                        "authstream-streams",
                        "Events that arrived after a later event of their key was released",
                        Map.of("task", context.taskId().toString())),
                new CumulativeSum());
        lastInputAt = context.currentSystemTimeMs();
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::releaseWhenQuiet);
        // A full scan, so not too often: a tenth of the memory (at most hourly) bounds the extra
        // retention to 10% while keeping the sweep cost negligible beside the traffic.
        Duration sweep =
                memory.dividedBy(10).compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : memory.dividedBy(10);
        context.schedule(
                sweep.isZero() ? Duration.ofMillis(1) : sweep, PunctuationType.STREAM_TIME, this::forgetReleasedBefore);
    }

    @Override
    public void process(Record<String, AuthEvent> record) {
        lastInputAt = context.currentSystemTimeMs();
        AuthEvent event = record.value();
        long time = event.getOccurredAt().toEpochMilli();
        if (record.key() == null) {
            // Without a key there is no per-key order to restore (our producers always set one).
            context.forward(record.withTimestamp(time));
            return;
        }
        Bytes released = lastReleased.get(record.key());
        boolean beyondMemory = time < context.currentStreamTimeMs() - memory.toMillis();
        if (beyondMemory
                || released != null
                        && BufferKey.position(time, event.getEventId()).compareTo(released) <= 0) {
            late.record(1);
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            headers.add(LATE_HEADER, "true".getBytes());
            context.forward(new Record<>(record.key(), event, time, headers));
            return;
        }
        buffer.put(BufferKey.encode(time, record.key(), event.getEventId()), EVENTS.toBytes(event));
        earliestBuffered = Math.min(earliestBuffered, time);
        releaseUpTo(context.currentStreamTimeMs() - grace.toMillis());
    }

    /** Wall-clock release: after the grace without input, everything buffered goes, in order. */
    private void releaseWhenQuiet(long now) {
        if (now - lastInputAt < grace.toMillis()) {
            return;
        }
        try (KeyValueIterator<Bytes, byte[]> last = buffer.reverseAll()) {
            if (last.hasNext()) {
                releaseUpTo(BufferKey.decode(last.next().key).time());
            }
        }
    }

    /** Forgets keys whose last release is older than the memory; see the class comment for why that is safe. */
    private void forgetReleasedBefore(long streamTime) {
        long horizon = streamTime - memory.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Bytes> all = lastReleased.all()) {
            all.forEachRemaining(entry -> {
                if (BufferKey.positionTime(entry.value) < horizon) {
                    expired.add(entry.key);
                }
            });
        }
        expired.forEach(lastReleased::delete);
    }

    private void releaseUpTo(long time) {
        if (earliestBuffered > time) {
            return;
        }
        List<KeyValue<Bytes, byte[]>> due = new ArrayList<>();
        Bytes start = earliestBuffered == Long.MIN_VALUE ? null : BufferKey.after(earliestBuffered - 1);
        Bytes end = BufferKey.after(time);
        // range() includes its end; no stored key equals the 8-byte bound, but the check keeps that explicit.
        try (KeyValueIterator<Bytes, byte[]> range = buffer.range(start, end)) {
            range.forEachRemaining(entry -> {
                if (entry.key.compareTo(end) < 0) {
                    due.add(entry);
                }
            });
        }
        for (KeyValue<Bytes, byte[]> entry : due) {
            BufferKey.Decoded key = BufferKey.decode(entry.key);
            AuthEvent event = EVENTS.fromBytes(entry.value, 0, entry.value.length);
            buffer.delete(entry.key);
            lastReleased.put(key.key(), BufferKey.position(key.time(), key.eventId()));
            context.forward(new Record<>(key.key(), event, key.time()));
        }
        earliestBuffered = time + 1;
    }
}
