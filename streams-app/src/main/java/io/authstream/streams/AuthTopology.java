package io.authstream.streams;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.streams.profile.ProfileChange;
import io.authstream.streams.profile.ProfileProcessor;
import io.authstream.streams.order.DedupProcessor;
import io.authstream.streams.order.EventTimeExtractor;
import io.authstream.streams.order.ReorderProcessor;
import io.authstream.streams.security.Alerts;
import io.authstream.streams.security.Auth0Signals;
import io.authstream.streams.security.SecuritySettings;
import io.authstream.streams.security.ThresholdDetector;
import io.authstream.streams.security.TravelDetector;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

/** The whole topology, built by one method so tests run exactly what production runs. */
public final class AuthTopology {

    /**
     * @param dedupRetention how long an eventId, and the last released position of a key, are
     *     remembered (event time); older events are marked late
     * @param reorderGrace how long events wait for earlier ones of their key
     * @param reorderPunctuation how often the wall clock releases events of quiet keys
     * @param security thresholds and windows of the security rules
     */
    public record Settings(Duration dedupRetention, Duration reorderGrace, Duration reorderPunctuation,
            SecuritySettings security) {
        public static Settings defaults() {
            return new Settings(Duration.ofHours(24), Duration.ofSeconds(5), Duration.ofSeconds(1), SecuritySettings.defaults());
        }
    }

    public static final String USER_RULES_STORE = "security-user-windows";
    public static final String IP_RULES_STORE = "security-ip-windows";

    private AuthTopology() {}

    /** Value serdes of the topics the topology writes and reads (registry-backed in production). */
    public record Serdes(Serde<AuthEvent> events, Serde<UserProfile> profiles, Serde<Notification> notifications,
            Serde<SecurityAlert> alerts) {}

    /**
     * raw events → dedup by eventId → reorder by event time per key → auth.events.ordered; then
     * the ordered events feed the profile fold → auth.profiles (tombstone on delete) and, on a
     * first sign-in, a welcome on auth.notifications; and the security rules → auth.security.alerts.
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

        // Security: single events that are alerts by themselves; rules per user on the ordered
        // stream (keyed by user already); rules per client IP on the events repartitioned by IP.
        KStream<String, SecurityAlert> signals = ordered.flatMap((key, event) -> Auth0Signals.alertsFor(event).stream()
                .map(alert -> KeyValue.pair(Alerts.key(alert), alert)).toList(), Named.as("auth0-signals"));
        KStream<String, SecurityAlert> userRules = ordered.process(
                ThresholdDetector.supplier(USER_RULES_STORE, settings.security().byUser()), Named.as("user-threshold-rules"));
        KStream<String, SecurityAlert> travel = ordered.process(TravelDetector.supplier(settings.security()),
                Named.as("travel-rules"));
        KStream<String, SecurityAlert> ipRules = ordered.filter((key, event) -> event.getIp() != null, Named.as("with-ip"))
                .selectKey((key, event) -> event.getIp(), Named.as("key-by-ip"))
                .repartition(Repartitioned.with(keys, serdes.events()).withName("events-by-ip"))
                .process(ThresholdDetector.supplier(IP_RULES_STORE, settings.security().byIp()), Named.as("ip-threshold-rules"));
        signals.merge(userRules, Named.as("alerts-user")).merge(travel, Named.as("alerts-travel"))
                .merge(ipRules, Named.as("alerts-ip"))
                .to(Topics.AUTH_SECURITY_ALERTS.name(), Produced.with(keys, serdes.alerts()).withName("security-alerts"));
        return builder.build();
    }
}
