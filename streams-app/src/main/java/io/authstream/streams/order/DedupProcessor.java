package io.authstream.streams.order;

import io.authstream.schemas.avro.AuthEvent;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Passes the first record of each eventId and drops later copies received within the retention
 * of it.
 *
 * <p>The clock is {@code receivedAt}, stamped when authstream received the copy (gateway, logs
 * source): redeliveries (Auth0 and EventBridge deliver at least once, a backfill overlaps the
 * webhook) are about when copies arrive, not when the event happened, so a copy of a years-old
 * event is caught like a fresh one. The timestamp travels in the record, so a replay from the
 * start drops exactly the same copies. The window is symmetric, so a copy stamped slightly
 * earlier by another gateway instance's clock is caught too.
 *
 * <p>Co-partitioning: the store is local to a task, so copies of one event must reach the same
 * partition. They do because every producer (gateway, logs source) derives the record key from
 * the event itself — user id, else {@code ip:<ip>}, else the event id — so two deliveries of one
 * event carry the same key and land on the same partition of {@code auth.events.raw}.
 */
public final class DedupProcessor implements Processor<String, AuthEvent, String, AuthEvent> {

    public static final String STORE = "dedup-event-ids";

    private final Duration retention;
    private ProcessorContext<String, AuthEvent> context;
    private WindowStore<String, Long> seen;
    private Sensor dropped;

    DedupProcessor(Duration retention) {
        this.retention = retention;
    }

    /** Supplies the processor with the window store it owns. */
    public static ProcessorSupplier<String, AuthEvent, String, AuthEvent> supplier(Duration retention) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AuthEvent, String, AuthEvent> get() {
                return new DedupProcessor(retention);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // The changelog's records carry event times, but its windows are receive times: with
                // event-time retention the broker would delete a backfill's ids from the changelog
                // within minutes, and after a restore their copies would pass.
                return Set.of(Stores.windowStoreBuilder(
                                Stores.persistentWindowStore(STORE, retention.multipliedBy(2), retention, false),
                                Serdes.String(),
                                Serdes.Long())
                        .withLoggingEnabled(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, AuthEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
        this.dropped =
                context.metrics().addSensor("dedup-dropped-duplicates-" + context.taskId(), Sensor.RecordingLevel.INFO);
        dropped.add(
                new MetricName(
                        "dedup-dropped-duplicates-total",
                        "authstream-streams",
                        "Copies of an already seen eventId dropped by dedup",
                        Map.of("task", context.taskId().toString())),
                new CumulativeSum());
    }

    @Override
    public void process(Record<String, AuthEvent> record) {
        String eventId = record.value().getEventId();
        long received = record.value().getReceivedAt().toEpochMilli();
        try (WindowStoreIterator<Long> earlier =
                seen.fetch(eventId, received - retention.toMillis(), received + retention.toMillis())) {
            if (earlier.hasNext()) {
                dropped.record(1);
                return;
            }
        }
        seen.put(eventId, received, received);
        context.forward(record);
    }
}
