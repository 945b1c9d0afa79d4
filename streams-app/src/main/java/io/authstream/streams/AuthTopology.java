package io.authstream.streams;

import io.authstream.enrich.Enricher;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.streams.analytics.ActiveUsers;
import io.authstream.streams.analytics.CountRollups;
import io.authstream.streams.analytics.Granularity;
import io.authstream.streams.analytics.MetricHit;
import io.authstream.streams.analytics.Tally;
import io.authstream.streams.analytics.TaskPartials;
import io.authstream.streams.analytics.WindowChangelogs;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import io.authstream.streams.enrich.EnrichProcessor;
import io.authstream.streams.input.EventTimeExtractor;
import io.authstream.streams.input.InputChecks;
import io.authstream.streams.input.InputGuard;
import io.authstream.streams.order.DedupProcessor;
import io.authstream.streams.order.OrderedLatency;
import io.authstream.streams.order.ReorderProcessor;
import io.authstream.streams.profile.ProfileChange;
import io.authstream.streams.profile.ProfileProcessor;
import io.authstream.streams.rules.RuleBook;
import io.authstream.streams.security.Alerts;
import io.authstream.streams.security.RuleCounter;
import io.authstream.streams.security.RuleHit;
import io.authstream.streams.security.RuleMatchStage;
import io.authstream.streams.security.RuleUpdates;
import io.authstream.streams.security.SecuritySettings;
import io.authstream.streams.security.TravelDetector;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.datasketches.hll.HllSketch;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/** The whole topology, built by one method so tests run exactly what production runs. */
public final class AuthTopology {

    /**
     * @param dedupRetention how long an eventId is remembered (receive time), and the last
     *     released position of a key (stream time; older events are marked late)
     * @param reorderGrace how long events wait for earlier ones of their key
     * @param reorderPunctuation how often the wall clock releases events of quiet keys
     * @param security the detection rules (built-in pack, RULES_DIR, switched-off ids) and the travel detectors' settings
     * @param eventTimeBounds the event and receive times the input guard takes
     * @param eventLimits the field and event sizes the input guard takes
     * @param analyticsFlush how often (wall clock) each task sends its analytics partials
     */
    public record Settings(
            Duration dedupRetention,
            Duration reorderGrace,
            Duration reorderPunctuation,
            SecuritySettings security,
            EventTimeBounds eventTimeBounds,
            EventLimits eventLimits,
            Duration analyticsFlush) {
        public static Settings defaults() {
            return new Settings(
                    Duration.ofHours(24),
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(1),
                    SecuritySettings.defaults(),
                    EventTimeBounds.defaults(),
                    EventLimits.defaults(),
                    Duration.ofSeconds(1));
        }
    }

    /** The counter's windows, one per (rule, subject). */
    public static final String RULE_WINDOWS_STORE = "security-rule-windows";
    /** Each task's metric partials (per key and hour) until they are sent. */
    public static final String METRIC_PARTIALS_STORE = "analytics-metric-partials";
    /** Each task's active-user sketches (per day) until they are sent. */
    public static final String ACTIVE_USER_PARTIALS_STORE = "analytics-active-user-partials";
    /** The valid records of auth.rules (a global store: every instance holds all of them). */
    public static final String PUBLISHED_RULES_STORE = "published-rules";

    private static final Serde<String> KEYS = org.apache.kafka.common.serialization.Serdes.String();

    private AuthTopology() {}

    /** Value serdes of the topics the topology writes and reads (registry-backed in production). */
    public record Serdes(
            Serde<AuthEvent> events,
            Serde<UserProfile> profiles,
            Serde<Notification> notifications,
            Serde<SecurityAlert> alerts,
            Serde<AnalyticsRollup> rollups) {

        /** The topic catalogue's serdes of the topics the topology writes, configured with {@code serdeConfig}. */
        public static Serdes fromCatalogue(Map<String, ?> serdeConfig) {
            return new Serdes(
                    Topics.AUTH_EVENTS_ORDERED.valueSerde(serdeConfig),
                    Topics.AUTH_PROFILES.valueSerde(serdeConfig),
                    Topics.AUTH_NOTIFICATIONS.valueSerde(serdeConfig),
                    Topics.AUTH_SECURITY_ALERTS.valueSerde(serdeConfig),
                    Topics.AUTH_ANALYTICS.valueSerde(serdeConfig));
        }
    }

    /** The topology on the system clock, with its own dead-letter memory (tests that do not look at either). */
    public static Topology build(Settings settings, Serdes serdes, Enricher enricher) {
        return build(settings, serdes, enricher, new StreamsDeadLetters(Clock.systemUTC()), Clock.systemUTC());
    }

    /** The topology with a rule book of its own, made from {@code settings}. */
    public static Topology build(
            Settings settings, Serdes serdes, Enricher enricher, StreamsDeadLetters deadLetters, Clock clock) {
        return build(
                settings,
                serdes,
                enricher,
                deadLetters,
                clock,
                settings.security().ruleBook());
    }

    /**
     * raw events → input guard (refused records dead-lettered) → dedup by eventId → reorder by
     * event time per key → enrich (geo, device) → auth.events.ordered; then the ordered events feed the profile fold → auth.profiles
     * (tombstone on delete) and, on a first sign-in, a welcome on auth.notifications; the security
     * rules → auth.security.alerts; and the analytics → auth.analytics.
     *
     * @param enricher shared by every task of the instance (thread-safe); the caller closes it
     * @param deadLetters the instance the Streams properties give the exception handlers too
     * @param clock this app's clock, against which input times are checked
     * @param rules the rules in force, which auth.rules changes while the topology runs
     */
    public static Topology build(
            Settings settings,
            Serdes serdes,
            Enricher enricher,
            StreamsDeadLetters deadLetters,
            Clock clock,
            RuleBook rules) {
        return build(settings, serdes, enricher, deadLetters, clock, rules, new OrderedLatency(clock));
    }

    /** As above, recording each ordered event's end-to-end latency in {@code latency}. */
    public static Topology build(
            Settings settings,
            Serdes serdes,
            Enricher enricher,
            StreamsDeadLetters deadLetters,
            Clock clock,
            RuleBook rules,
            OrderedLatency latency) {
        StreamsBuilder builder = new StreamsBuilder();
        InputChecks checks = new InputChecks(settings.eventTimeBounds(), settings.eventLimits(), clock);
        KStream<String, AuthEvent> ordered =
                dedupReorderAndEnrich(builder, settings, serdes, enricher, checks, deadLetters, latency);
        KStream<String, ProfileChange> changes = profiles(ordered, serdes);
        securityAlerts(builder, ordered, settings.security(), rules, serdes);
        analytics(ordered, changes, settings.analyticsFlush(), serdes);
        return builder.build();
    }

    /**
     * raw → input guard → dedup by eventId → reorder by event time per key → enrich →
     * auth.events.ordered. The guard comes first so that no record it refuses reaches a clock or
     * a store. Enriching after dedup and reorder looks each event up once (copies are gone) and
     * puts the same enriched event on the topic and in front of every processor.
     */
    private static KStream<String, AuthEvent> dedupReorderAndEnrich(
            StreamsBuilder builder,
            Settings settings,
            Serdes serdes,
            Enricher enricher,
            InputChecks checks,
            StreamsDeadLetters deadLetters,
            OrderedLatency latency) {
        KStream<String, AuthEvent> ordered = builder.stream(
                        Topics.AUTH_EVENTS_RAW.name(),
                        Consumed.with(KEYS, serdes.events())
                                .withTimestampExtractor(new EventTimeExtractor(checks))
                                .withName("raw-events"))
                .processValues(InputGuard.supplier(checks, deadLetters), Named.as("input-guard"))
                .process(DedupProcessor.supplier(settings.dedupRetention()), Named.as("dedup"))
                .process(
                        ReorderProcessor.supplier(
                                settings.reorderGrace(), settings.reorderPunctuation(), settings.dedupRetention()),
                        Named.as("reorder"))
                .processValues(EnrichProcessor.supplier(enricher, latency), Named.as("enrich"));
        ordered.to(
                Topics.AUTH_EVENTS_ORDERED.name(),
                Produced.with(KEYS, serdes.events()).withName("ordered-events"));
        return ordered;
    }

    /**
     * ordered → profile fold → auth.profiles (tombstone on delete), and a welcome on
     * auth.notifications on a first sign-in. Ordered events are keyed by user id (or by ip/event
     * id, which carry no user and are skipped), so no repartition is needed.
     */
    private static KStream<String, ProfileChange> profiles(KStream<String, AuthEvent> ordered, Serdes serdes) {
        KStream<String, ProfileChange> changes = ordered.process(ProfileProcessor.supplier(), Named.as("profile-fold"));
        changes.mapValues(ProfileChange::profile, Named.as("profile-or-tombstone"))
                .to(
                        Topics.AUTH_PROFILES.name(),
                        Produced.with(KEYS, serdes.profiles()).withName("profiles"));
        changes.flatMapValues(change -> change.notification().stream().toList(), Named.as("welcome-on-first-sign-in"))
                .to(
                        Topics.AUTH_NOTIFICATIONS.name(),
                        Produced.with(KEYS, serdes.notifications()).withName("notifications"));
        return changes;
    }

    /**
     * ordered → rules engine (every rule in force, one event-ruler match per event) → hits;
     * single-event rules' hits are alerts at once, the others go keyed by (rule, subject) to the
     * counter: in this task when the rule groups by user and the user is the event's key, else
     * through a repartition; with the travel detectors (per user, on the ordered stream) → auth.security.alerts.
     * auth.rules, read whole by every instance, changes the rules in force as it arrives.
     */
    private static void securityAlerts(
            StreamsBuilder builder,
            KStream<String, AuthEvent> ordered,
            SecuritySettings security,
            RuleBook rules,
            Serdes serdes) {
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(PUBLISHED_RULES_STORE),
                                KEYS,
                                org.apache.kafka.common.serialization.Serdes.String())
                        .withLoggingDisabled(),
                Topics.AUTH_RULES.name(),
                Consumed.with(KEYS, org.apache.kafka.common.serialization.Serdes.String())
                        .withName("published-rules"),
                () -> new RuleUpdates(PUBLISHED_RULES_STORE, rules));
        RuleMatchStage matching = new RuleMatchStage(rules);
        Map<String, KStream<String, RuleHit>> hits = ordered.flatMapValues(matching::hits, Named.as("rules-match"))
                .split(Named.as("rule-hits-"))
                .branch((key, hit) -> hit.stateless(), Branched.as("single-event"))
                .branch((key, hit) -> hit.userId() != null && hit.userId().equals(key), Branched.as("counted-here"))
                .defaultBranch(Branched.as("counted"));
        KStream<String, SecurityAlert> singleEvent = hits.get("rule-hits-single-event")
                .map(
                        (key, hit) -> {
                            SecurityAlert alert = hit.alert();
                            return KeyValue.pair(Alerts.key(alert), alert);
                        },
                        Named.as("single-event-alerts"));
        // A hit of a rule grouped by user (alone or with other fields) whose user is the event's
        // key is counted by this task: the ordered stream is keyed by user, so this task sees every
        // event of that user and so of that subject. The others travel to their (rule, subject)'s task.
        KStream<String, RuleHit> countedHere =
                hits.get("rule-hits-counted-here").selectKey((key, hit) -> hit.key(), Named.as("key-by-rule-user"));
        KStream<String, SecurityAlert> counted = hits.get("rule-hits-counted")
                .selectKey((key, hit) -> hit.key(), Named.as("key-by-rule-subject"))
                .repartition(Repartitioned.with(KEYS, RuleHit.SERDE).withName("rule-hits"))
                .merge(countedHere, Named.as("all-counted-hits"))
                .process(
                        RuleCounter.supplier(RULE_WINDOWS_STORE, rules, security.lateness()), Named.as("rule-counter"));
        KStream<String, SecurityAlert> travel =
                ordered.process(TravelDetector.supplier(security), Named.as("travel-rules"));
        singleEvent
                .merge(counted, Named.as("alerts-counted"))
                .merge(travel, Named.as("alerts-travel"))
                .to(
                        Topics.AUTH_SECURITY_ALERTS.name(),
                        Produced.with(KEYS, serdes.alerts()).withName("security-alerts"));
    }

    /**
     * Counted metrics (sign-ins by provider/connection/client, failed-login rate, sign-ups, new
     * users) per hour and per day, pre-aggregated per task and hour, repartitioned by
     * {@code metric|dimension} and summed; distinct active users per day with an HLL sketch per
     * task and day, repartitioned and merged, and per 7/30 days as unions of daily sketches →
     * auth.analytics. The window stores are what the HTTP API queries. A window takes late events
     * as long as it is within its store's retention (backfills count).
     */
    private static void analytics(
            KStream<String, AuthEvent> ordered,
            KStream<String, ProfileChange> changes,
            Duration analyticsFlush,
            Serdes serdes) {
        KStream<String, MetricHit> newUsers = changes.filter(
                        (user, change) -> change.created(), Named.as("created-profiles"))
                .map(
                        (user, change) -> KeyValue.pair(MetricHit.key(MetricHit.NEW_USERS, null), MetricHit.COUNT),
                        Named.as("new-user-hits"));
        KGroupedStream<String, Tally> byMetric = ordered.flatMap(
                        (key, event) -> MetricHit.of(event), Named.as("metric-hits"))
                .merge(newUsers, Named.as("all-metric-hits"))
                .process(
                        TaskPartials.supplier(
                                METRIC_PARTIALS_STORE,
                                Granularity.HOUR.size(),
                                analyticsFlush,
                                Tally.SERDE,
                                Tally::zero,
                                Tally::add),
                        Named.as("metric-partials"))
                .groupByKey(Grouped.with("analytics-by-metric", KEYS, Tally.SERDE));
        for (Granularity granularity : Granularity.values()) {
            byMetric.windowedBy(TimeWindows.ofSizeAndGrace(granularity.size(), granularity.grace()))
                    .aggregate(
                            Tally::zero,
                            (key, partial, tally) -> tally.plus(partial),
                            Named.as("count-per-" + granularity.label()),
                            Materialized.<String, Tally, WindowStore<Bytes, byte[]>>as(granularity.storeName())
                                    .withKeySerde(KEYS)
                                    .withValueSerde(Tally.SERDE)
                                    .withRetention(granularity.retention())
                                    .withLoggingEnabled(WindowChangelogs.CONFIG))
                    .toStream(Named.as("counts-per-" + granularity.label()))
                    .process(CountRollups.supplier(granularity), Named.as("rollups-per-" + granularity.label()))
                    .to(
                            Topics.AUTH_ANALYTICS.name(),
                            Produced.with(KEYS, serdes.rollups()).withName("analytics-" + granularity.label()));
        }
        ordered.filter((key, event) -> ActiveUsers.counts(event), Named.as("active-sign-ins"))
                .map((key, event) -> KeyValue.pair(ActiveUsers.KEY, event.getUserId()), Named.as("key-active-users"))
                .process(
                        TaskPartials.<String, HllSketch>supplier(
                                ACTIVE_USER_PARTIALS_STORE,
                                Duration.ofDays(1),
                                analyticsFlush,
                                ActiveUsers.SERDE,
                                ActiveUsers::empty,
                                ActiveUsers::add),
                        Named.as("active-user-partials"))
                .groupByKey(Grouped.with("analytics-active-users", KEYS, ActiveUsers.PARTIAL_SERDE))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofDays(1), ActiveUsers.GRACE))
                .aggregate(
                        ActiveUsers::empty,
                        (key, partial, sketch) -> ActiveUsers.merge(sketch, partial),
                        Named.as("active-users-per-day"),
                        Materialized.<String, HllSketch, WindowStore<Bytes, byte[]>>as(ActiveUsers.STORE)
                                .withKeySerde(KEYS)
                                .withValueSerde(ActiveUsers.SERDE)
                                .withRetention(ActiveUsers.RETENTION)
                                .withLoggingEnabled(WindowChangelogs.CONFIG)
                                // The rollups read this store while its record cache flushes into them, and an
                                // HTTP query takes the store's lock before the cache's: the two locked each
                                // other out (a thread dump of AnalyticsRestoreIT, Kafka 4.3.1; cf. KAFKA-19629).
                                // Its input is already one partial per task and flush, so a cache saves little.
                                .withCachingDisabled())
                .toStream(Named.as("active-user-days"))
                .process(ActiveUsers.rollups(), Named.as("active-users-rollups"), ActiveUsers.STORE)
                .to(
                        Topics.AUTH_ANALYTICS.name(),
                        Produced.with(KEYS, serdes.rollups()).withName("analytics-active-users"));
    }
}
