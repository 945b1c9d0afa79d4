package io.authstream.streams;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.streams.profile.ProfileChange;
import io.authstream.streams.profile.ProfileProcessor;
import io.authstream.streams.order.DedupProcessor;
import io.authstream.streams.order.EventTimeExtractor;
import io.authstream.streams.order.ReorderProcessor;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** The whole topology, built by one method so tests run exactly what production runs. */
public final class AuthTopology {

    /**
     * @param dedupRetention how long an eventId, and the last released position of a key, are
     *     remembered (event time); older events are marked late
     * @param reorderGrace how long events wait for earlier ones of their key
     * @param reorderPunctuation how often the wall clock releases events of quiet keys
     */
    public record Settings(Duration dedupRetention, Duration reorderGrace, Duration reorderPunctuation) {
        public static Settings defaults() {
            return new Settings(Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(1));
        }
    }

    private AuthTopology() {}

    /** Value serdes of the topics the topology writes and reads (registry-backed in production). */
    public record Serdes(Serde<AuthEvent> events, Serde<UserProfile> profiles, Serde<Notification> notifications) {}

    /**
     * raw events → dedup by eventId → reorder by event time per key → auth.events.ordered, and
     * the ordered events → profile fold → auth.profiles (tombstone on delete) and, on a first
     * sign-in, a welcome on auth.notifications.
     */
    public static Topology build(Settings settings, Serdes serdes) {
        Serde<String> keys = org.apache.kafka.common.serialization.Serdes.String();
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, AuthEvent> ordered = builder.stream(Topics.AUTH_EVENTS_RAW.name(), Consumed.with(keys, serdes.events())
                        .withTimestampExtractor(new EventTimeExtractor()).withName("raw-events"))
                .process(DedupProcessor.supplier(settings.dedupRetention()), Named.as("dedup"))
                .process(ReorderProcessor.supplier(settings.reorderGrace(), settings.reorderPunctuation(),
                        settings.dedupRetention()), Named.as("reorder"));
        ordered.to(Topics.AUTH_EVENTS_ORDERED.name(), Produced.with(keys, serdes.events()).withName("ordered-events"));

        // Profiles are keyed by user id; ordered events are keyed by user id too (or by ip/event id,
        // which carry no user and are skipped), so no repartition is needed.
        KStream<String, ProfileChange> changes = ordered.process(ProfileProcessor.supplier(), Named.as("profile-fold"));
        changes.mapValues(ProfileChange::profile, Named.as("profile-or-tombstone"))
                .to(Topics.AUTH_PROFILES.name(), Produced.with(keys, serdes.profiles()).withName("profiles"));
        changes.flatMapValues(change -> change.notification().stream().toList(), Named.as("welcome-on-first-sign-in"))
                .to(Topics.AUTH_NOTIFICATIONS.name(), Produced.with(keys, serdes.notifications()).withName("notifications"));
        return builder.build();
    }
}
