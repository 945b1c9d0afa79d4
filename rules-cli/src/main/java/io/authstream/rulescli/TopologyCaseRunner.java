package io.authstream.rulescli;

import io.authstream.enrich.Enricher;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.authstream.streams.AuthTopology;
import io.authstream.streams.deadletter.DeadLetterOnDeserializationError;
import io.authstream.streams.deadletter.DeadLetterOnProcessingError;
import io.authstream.streams.deadletter.DeadLetterOnProductionError;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import io.authstream.streams.rules.ReferenceEvaluation;
import io.authstream.streams.rules.RuleCaseRunner;
import io.authstream.streams.rules.RuleCaseRunner.CaseResult;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleMatcher;
import io.authstream.streams.rules.RuleTestCase;
import io.authstream.streams.serde.StateAvroSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * Runs rule test cases through the production topology ({@link AuthTopology#build}) in a
 * TopologyTestDriver: each case's events go onto auth.events.raw as the gateway would put them
 * (keyed by user, else {@code ip:<ip>}, else event id), through the input guard, dedup, reorder and
 * enrichment, and the case is judged on the alerts of its rule on auth.security.alerts. The rules
 * under test run beside the built-in pack (overriding built-in rules of the same id), as
 * {@code RULES_DIR} makes them run in production. Each case gets a fresh topology and state.
 */
public final class TopologyCaseRunner {

    private static final Duration REORDER_GRACE =
            AuthTopology.Settings.defaults().reorderGrace();

    private final Enricher enricher;
    private final Path stateRoot;

    /** @param enricher used by every case (the caller closes it) */
    public TopologyCaseRunner(Enricher enricher) {
        this.enricher = enricher;
        try {
            this.stateRoot = Files.createTempDirectory("authstream-rules-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every case of every rule in {@code rules}, which all run together. */
    public List<CaseResult> runAll(List<RuleDefinition> rules) {
        List<CaseResult> results = new ArrayList<>();
        for (RuleDefinition rule : rules) {
            for (RuleTestCase test : rule.tests()) {
                results.add(run(rules, rule, test));
            }
        }
        return results;
    }

    public CaseResult run(List<RuleDefinition> rules, RuleDefinition rule, RuleTestCase test) {
        List<AuthEvent> events = new ArrayList<>(test.events());
        events.sort(Comparator.comparing(AuthEvent::getOccurredAt));
        Instant last =
                events.isEmpty() ? Instant.EPOCH : events.get(events.size() - 1).getOccurredAt();
        Instant now = last.plus(Duration.ofMinutes(1));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        AuthTopology.Settings defaults = AuthTopology.Settings.defaults();
        AuthTopology.Settings settings = new AuthTopology.Settings(
                defaults.dedupRetention(),
                defaults.reorderGrace(),
                defaults.reorderPunctuation(),
                defaults.security().withUserRules(rules),
                defaults.eventTimeBounds(),
                defaults.eventLimits(),
                defaults.analyticsFlush());
        StreamsDeadLetters deadLetters = new StreamsDeadLetters(clock);
        RuleMatcher matcher = RuleMatcher.of(List.of(rule));
        int matched = 0;
        List<ReferenceEvaluation.Alert> alerts = new ArrayList<>();
        try (TopologyTestDriver driver = new TopologyTestDriver(
                AuthTopology.build(settings, serdes(), enricher, deadLetters, clock),
                properties(rule, deadLetters),
                now)) {
            TestInputTopic<String, AuthEvent> raw = driver.createInputTopic(
                    Topics.AUTH_EVENTS_RAW.name(),
                    new StringSerializer(),
                    new StateAvroSerde<>(AuthEvent.class).serializer());
            TestOutputTopic<String, SecurityAlert> output = driver.createOutputTopic(
                    Topics.AUTH_SECURITY_ALERTS.name(),
                    new StringDeserializer(),
                    new StateAvroSerde<>(SecurityAlert.class).deserializer());
            for (AuthEvent event : events) {
                if (matcher.matches(event).contains(rule.id())) {
                    matched++;
                }
                raw.pipeInput(key(event), event, event.getOccurredAt());
            }
            driver.advanceWallClockTime(REORDER_GRACE.plusSeconds(1));
            for (SecurityAlert alert : output.readValuesToList()) {
                if (alert.getRuleId().equals(rule.id())) {
                    alerts.add(new ReferenceEvaluation.Alert(
                            alert.getRuleId(),
                            alert.getAttributes().getOrDefault("subject", ""),
                            Integer.parseInt(alert.getAttributes().getOrDefault("count", "1")),
                            alert.getWindowStart(),
                            alert.getWindowEnd(),
                            alert.getSummary(),
                            alert.getEvidence()));
                }
            }
        }
        CaseResult result = RuleCaseRunner.judge(rule, test, matched, events.size(), alerts);
        long refused = Arrays.stream(DeadLetterReason.values())
                .mapToLong(deadLetters::count)
                .sum();
        return refused == 0
                ? result
                : new CaseResult(
                        result.ruleId(),
                        result.caseName(),
                        false,
                        result.reason() + "; " + refused + " event(s) dead-lettered by the topology",
                        result.alerts());
    }

    /** The gateway's key: user id, else ip:&lt;ip&gt;, else the event id. */
    static String key(AuthEvent event) {
        if (event.getUserId() != null) {
            return event.getUserId();
        }
        return event.getIp() != null ? "ip:" + event.getIp() : event.getEventId();
    }

    private static AuthTopology.Serdes serdes() {
        return new AuthTopology.Serdes(
                new StateAvroSerde<>(AuthEvent.class),
                new StateAvroSerde<>(UserProfile.class),
                new StateAvroSerde<>(Notification.class),
                new StateAvroSerde<>(SecurityAlert.class),
                new StateAvroSerde<>(AnalyticsRollup.class));
    }

    private Properties properties(RuleDefinition rule, StreamsDeadLetters deadLetters) {
        Properties props = new Properties();
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterOnDeserializationError.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProcessingError.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProductionError.class.getName());
        @SuppressWarnings("deprecation") // as in StreamsAppConfig, until Kafka Streams 5.0
        String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.put(globalHandler, true);
        props.put(StreamsDeadLetters.CONFIG, deadLetters);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rules-test-" + rule.id());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory(stateRoot, rule.id()).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props;
    }
}
