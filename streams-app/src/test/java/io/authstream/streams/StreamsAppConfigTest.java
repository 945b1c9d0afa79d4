package io.authstream.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.enrich.EnrichmentSettings;
import io.authstream.enrich.testing.TestDatabases;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.streams.deadletter.DeadLetterOnDeserializationError;
import io.authstream.streams.deadletter.DeadLetterOnProcessingError;
import io.authstream.streams.deadletter.DeadLetterOnProductionError;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleFileLoader;
import io.authstream.teststack.SecretSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamsAppConfigTest {

    private static final String GEOIP = TestDatabases.geoIpDatabaseSetting();

    @Test
    void defaultsAreExactlyOnceWithEveryRecordItCannotTakeDeadLettered() {
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "SCHEMA_REGISTRY_URL",
                "http://r:8081",
                "GEOIP_DATABASE",
                GEOIP,
                "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO",
                "u:registry-secret",
                "KAFKA_STREAMS_NUM_STANDBY_REPLICAS",
                "1");
        SecretSettings.register(env, StreamsAppConfig.DEFINITION);
        StreamsAppConfig config = StreamsAppConfig.fromEnvironment(env);
        assertThat(config.topology()).isEqualTo(AuthTopology.Settings.defaults());
        StreamsDeadLetters deadLetters = new StreamsDeadLetters(java.time.Clock.systemUTC());
        Properties props = config.streamsProperties(deadLetters);
        assertThat(props)
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("deserialization.exception.handler", DeadLetterOnDeserializationError.class.getName())
                .containsEntry("processing.exception.handler", DeadLetterOnProcessingError.class.getName())
                .containsEntry("production.exception.handler", DeadLetterOnProductionError.class.getName())
                .containsEntry(StreamsDeadLetters.CONFIG, deadLetters)
                .containsEntry("producer.max.request.size", "8388608")
                .containsEntry("application.id", "authstream-streams")
                .containsEntry("num.standby.replicas", "1");
        assertThat(config.toString()).doesNotContain("registry-secret");
    }

    @Test
    void everyProblemIsListed() {
        assertThatThrownBy(() ->
                        StreamsAppConfig.fromEnvironment(Map.of("REORDER_GRACE_MS", "soon", "DEDUP_RETENTION_MS", "5")))
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is required")
                .hasMessageContaining("SCHEMA_REGISTRY_URL is required")
                .hasMessageContaining("REORDER_GRACE_MS must be a whole number, got 'soon'")
                .hasMessageContaining("DEDUP_RETENTION_MS must be between 1000")
                .hasMessageContaining("GEOIP_DATABASE is required");
        assertThatThrownBy(() -> StreamsAppConfig.fromEnvironment(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "b:9092",
                        "SCHEMA_REGISTRY_URL",
                        "http://r:8081",
                        "GEOIP_DATABASE",
                        GEOIP,
                        "STREAMS_HTTP_PORT",
                        "70000")))
                .hasMessageContaining("STREAMS_HTTP_PORT must be between 0 and 65535, got 70000");
    }

    @Test
    void settingsAreParsed() {
        StreamsAppConfig config = StreamsAppConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "SCHEMA_REGISTRY_URL",
                "http://r:8081",
                "GEOIP_DATABASE",
                GEOIP,
                "REORDER_GRACE_MS",
                "2500",
                "DEDUP_RETENTION_MS",
                "3600000",
                "STREAMS_HTTP_PORT",
                "9191"));
        assertThat(config.httpPort()).isEqualTo(9191);
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.topology().reorderGrace()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.topology().dedupRetention()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void eventBoundsAreSettingsWithinWhatTheBrokerTakes() {
        StreamsAppConfig config = StreamsAppConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "SCHEMA_REGISTRY_URL",
                "http://r:8081",
                "GEOIP_DATABASE",
                GEOIP,
                "EVENT_TIME_MAX_AHEAD_MS",
                "60000",
                "EVENT_TIME_MAX_AGE_DAYS",
                "30",
                "EVENT_MAX_BYTES",
                "65536"));
        assertThat(config.topology().eventTimeBounds())
                .isEqualTo(new EventTimeBounds(Duration.ofMinutes(1), Duration.ofDays(30)));
        assertThat(config.topology().eventLimits()).isEqualTo(new EventLimits(65536));

        assertThatThrownBy(() -> StreamsAppConfig.fromEnvironment(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "b:9092",
                        "SCHEMA_REGISTRY_URL",
                        "http://r:8081",
                        "GEOIP_DATABASE",
                        GEOIP,
                        "EVENT_TIME_MAX_AHEAD_MS",
                        "3600000",
                        "EVENT_MAX_BYTES",
                        "2000000")))
                .hasMessageContaining("EVENT_TIME_MAX_AHEAD_MS must be between 0 and 3540000, got 3600000")
                .hasMessageContaining("EVENT_MAX_BYTES must be between 16384 and 921600, got 2000000");
    }

    @Test
    void securityThresholdsAndWindowsAreSettings() {
        StreamsAppConfig config = StreamsAppConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "SCHEMA_REGISTRY_URL",
                "http://r:8081",
                "GEOIP_DATABASE",
                GEOIP,
                "SECURITY_BRUTE_FORCE_THRESHOLD",
                "5",
                "SECURITY_BRUTE_FORCE_WINDOW_MS",
                "600000",
                "SECURITY_IMPOSSIBLE_TRAVEL_KMH",
                "1000"));
        RuleDefinition brute = config.topology().security().builtIn().stream()
                .filter(r -> r.id().equals("brute-force"))
                .findFirst()
                .orElseThrow();
        assertThat(brute.threshold()).isEqualTo(5);
        assertThat(brute.window()).contains(Duration.ofMinutes(10));
        assertThat(brute.incidentGap())
                .as("the gap follows the window it defaulted to")
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(config.topology().security().impossibleTravelKmh()).isEqualTo(1000);
        assertThat(config.topology().security().builtIn())
                .filteredOn(r -> !r.id().equals("brute-force"))
                .isEqualTo(RuleFileLoader.builtIn().stream()
                        .filter(r -> !r.id().equals("brute-force"))
                        .toList());

        assertThatThrownBy(() -> StreamsAppConfig.fromEnvironment(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "b:9092",
                        "SCHEMA_REGISTRY_URL",
                        "http://r:8081",
                        "GEOIP_DATABASE",
                        GEOIP,
                        "SECURITY_SIGNUP_ABUSE_THRESHOLD",
                        "0",
                        "SECURITY_MFA_PUSH_FATIGUE_WINDOW_MS",
                        "soon")))
                .hasMessageContaining("SECURITY_SIGNUP_ABUSE_THRESHOLD must be between 1 and 1000000, got 0")
                .hasMessageContaining("SECURITY_MFA_PUSH_FATIGUE_WINDOW_MS must be a whole number, got 'soon'");
    }

    @Test
    void rulesDirIsLoadedAtStartAndABadFileStopsTheStartNamingFileRuleAndProblem(@TempDir Path rules)
            throws IOException {
        Files.writeString(rules.resolve("mine.yml"), """
                rules:
                  - id: brute-force
                    enabled: false
                  - id: sapi-seen
                    title: A Management API change
                    severity: LOW
                    description: Any sapi event.
                    eventTypes: [sapi]
                    runbook: Look at it.
                    match: {originalType: [sapi]}
                    summary: "change by {clientId}"
                """);
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "SCHEMA_REGISTRY_URL", "http://r:8081",
                "GEOIP_DATABASE", "off",
                "RULES_DIR", rules.toString(),
                "RULES_DISABLED", "signup-abuse, multi-ip-sign-in");
        var security = StreamsAppConfig.fromEnvironment(env).topology().security();
        assertThat(security.userRules()).extracting(r -> r.id()).containsExactly("brute-force", "sapi-seen");
        assertThat(security.switchedOff()).containsExactlyInAnyOrder("signup-abuse", "multi-ip-sign-in");
        assertThat(security.ruleBook().current().rules())
                .containsKey("sapi-seen")
                .doesNotContainKeys("brute-force", "signup-abuse", "multi-ip-sign-in")
                .containsKey("credential-stuffing");

        Files.writeString(rules.resolve("broken.yml"), "rules:\n  - id: broken-rule\n    severity: URGENT\n");
        Map<String, String> broken = new HashMap<>(env);
        broken.put("RULES_DISABLED", "Not An Id");
        assertThatThrownBy(() -> StreamsAppConfig.fromEnvironment(broken))
                .hasMessageContaining("RULES_DIR: ")
                .hasMessageContaining(rules.resolve("broken.yml") + ": rule 'broken-rule': severity must be one of")
                .hasMessageContaining(rules.resolve("broken.yml") + ": rule 'broken-rule': missing title")
                .hasMessageContaining(
                        "RULES_DISABLED must be rule ids (kebab-case), separated by commas; \"Not An Id\" is not one");
        assertThatThrownBy(() -> StreamsAppConfig.fromEnvironment(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                        "SCHEMA_REGISTRY_URL", "http://r:8081",
                        "GEOIP_DATABASE", "off",
                        "RULES_DIR", rules.resolve("nowhere").toString())))
                .hasMessageContaining("RULES_DIR: " + rules.resolve("nowhere") + " is not a directory");
    }

    @Test
    void enrichmentSettingsAreReadAndTheDatabaseCheckedAtStart() {
        StreamsAppConfig config = StreamsAppConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "SCHEMA_REGISTRY_URL",
                "http://r:8081",
                "GEOIP_DATABASE",
                GEOIP,
                "USER_AGENT_CACHE_SIZE",
                "500"));
        assertThat(config.enrichment()).isEqualTo(new EnrichmentSettings(TestDatabases.dbipCity(), true, 500));
        assertThat(config.toString()).contains("enrichment=[geoip=" + TestDatabases.dbipCity());

        StreamsAppConfig off = StreamsAppConfig.fromEnvironment(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "SCHEMA_REGISTRY_URL",
                "http://r:8081",
                "GEOIP_DATABASE",
                "off",
                "USER_AGENT_PARSING",
                "off"));
        assertThat(off.enrichment()).isEqualTo(new EnrichmentSettings(java.util.List.of(), false, 10_000));

        assertThatThrownBy(() -> StreamsAppConfig.fromEnvironment(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "b:9092",
                        "SCHEMA_REGISTRY_URL",
                        "http://r:8081",
                        "GEOIP_DATABASE",
                        "/nowhere/GeoLite2-City.mmdb")))
                .hasMessageContaining("GEOIP_DATABASE: /nowhere/GeoLite2-City.mmdb does not exist");
    }

    @Test
    void whatTheAppFixesCannotBePassedThroughAndAMisspeltVariableIsNamed() {
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS",
                "b:9092",
                "SCHEMA_REGISTRY_URL",
                "http://r:8081",
                "GEOIP_DATABASE",
                "off",
                "KAFKA_STREAMS_PROCESSING_GUARANTEE",
                "at_least_once",
                "KAFKA_STREAMS_APPLICATION_ID",
                "other",
                "KAFKA_STREAMS_STATE_DIR",
                "/tmp/elsewhere",
                "REORDER_GRACE",
                "100"));
        assertThatThrownBy(() -> StreamsAppConfig.fromEnvironment(env))
                .hasMessageContaining(
                        "KAFKA_STREAMS_PROCESSING_GUARANTEE would set the Kafka Streams client's processing.guarantee, "
                                + "which is always exactly_once_v2")
                .hasMessageContaining(
                        "KAFKA_STREAMS_APPLICATION_ID would set the Kafka Streams client's application.id, which is "
                                + "STREAMS_APPLICATION_ID")
                .hasMessageContaining(
                        "KAFKA_STREAMS_STATE_DIR would set the Kafka Streams client's state.dir, which is STREAMS_STATE_DIR")
                .hasMessageContaining("unknown variable REORDER_GRACE (did you mean REORDER_GRACE_MS?)");
    }

    @Test
    void theRetiredAnalyticsGraceIsRefusedAsUnknown() {
        // Windows now take late events for as long as their stores keep them; a setting left from before says so at
        // start.
        assertThatThrownBy(() -> StreamsAppConfig.fromEnvironment(Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "b:9092",
                        "SCHEMA_REGISTRY_URL",
                        "http://r:8081",
                        "GEOIP_DATABASE",
                        "off",
                        "ANALYTICS_GRACE_MS",
                        Long.toString(Duration.ofDays(7).toMillis()))))
                .hasMessageContaining("unknown variable ANALYTICS_GRACE_MS");
    }
}
