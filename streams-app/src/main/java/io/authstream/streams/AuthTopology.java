package io.authstream.streams;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.order.DedupProcessor;
import io.authstream.streams.order.EventTimeExtractor;
import io.authstream.streams.order.ReorderProcessor;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** The whole topology, built by one method so tests run exactly what production runs. */
public final class AuthTopology {

    /**
     * @param dedupRetention how long an eventId is remembered (event time)
     * @param reorderGrace how long events wait for earlier ones of their key
     * @param reorderPunctuation how often the wall clock releases events of quiet keys
     */
    public record Settings(Duration dedupRetention, Duration reorderGrace, Duration reorderPunctuation) {
        public static Settings defaults() {
            return new Settings(Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(1));
        }
    }

    private AuthTopology() {}

    /** raw events → dedup by eventId → reorder by event time per key → auth.events.ordered. */
    public static Topology build(Settings settings, Serde<AuthEvent> events) {
        Serde<String> keys = Serdes.String();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.AUTH_EVENTS_RAW.name(), Consumed.with(keys, events)
                        .withTimestampExtractor(new EventTimeExtractor()).withName("raw-events"))
                .process(DedupProcessor.supplier(settings.dedupRetention()), Named.as("dedup"))
                .process(ReorderProcessor.supplier(settings.reorderGrace(), settings.reorderPunctuation()), Named.as("reorder"))
                .to(Topics.AUTH_EVENTS_ORDERED.name(), Produced.with(keys, events).withName("ordered-events"));
        return builder.build();
    }
}
