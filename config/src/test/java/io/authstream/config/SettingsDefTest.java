package io.authstream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SettingsDefTest {

    private static final Setting<Integer> PORT =
            Setting.port("APP_PORT", "HTTP port.").defaultValue(8080);
    private static final Setting<Duration> IDLE =
            Setting.millis("APP_IDLE_TIMEOUT_MS", 100, 600_000, "Idle timeout.").defaultValue(30_000);
    private static final Setting<Duration> HEADER = Setting.millis(
                    "APP_HEADER_TIMEOUT_MS", 100, 600_000, "Header timeout.")
            .defaultValue(5_000);
    private static final Setting<String> SERVERS =
            Setting.text("KAFKA_BOOTSTRAP_SERVERS", "Kafka.").required("127.0.0.1:9092");
    private static final Setting<String> TOKEN = Setting.text("APP_TOKEN", "A token.")
            .check(value -> value.length() >= 16, "at least 16 characters")
            .secret();

    private static final SettingsDef APP = SettingsDef.of("app", List.of(PORT, IDLE, HEADER, SERVERS, TOKEN))
            .ownPrefixes("APP_")
            .exceptPrefixes("APP_TEST_")
            .passThrough("KAFKA_PRODUCER_", "Kafka producer", Map.of("acks", "the app fixes to all"))
            .check(
                    List.of(HEADER, IDLE),
                    settings -> settings.get(HEADER).compareTo(settings.get(IDLE)) < 0
                            ? Optional.empty()
                            : Optional.of("APP_HEADER_TIMEOUT_MS must be less than APP_IDLE_TIMEOUT_MS"));

    @Test
    void defaultsApplyWhenUnsetOrBlankAndValuesAreTrimmed() {
        Settings settings = APP.read(Map.of("KAFKA_BOOTSTRAP_SERVERS", " b:9092 ", "APP_PORT", "  "));
        assertThat(settings.get(PORT)).isEqualTo(8080);
        assertThat(settings.get(SERVERS)).isEqualTo("b:9092");
        assertThat(settings.get(IDLE)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.optional(TOKEN)).isEmpty();
    }

    @Test
    void everyProblemIsListedAtOnceAndNoSecretValueIsEchoed() {
        assertThatThrownBy(() ->
                        APP.read(Map.of("APP_PORT", "http", "APP_IDLE_TIMEOUT_MS", "5", "APP_TOKEN", "short-secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid app settings:\n  - ")
                .hasMessageContaining("APP_PORT must be a whole number, got 'http'")
                .hasMessageContaining("APP_IDLE_TIMEOUT_MS must be between 100 and 600000, got 5")
                .hasMessageContaining("KAFKA_BOOTSTRAP_SERVERS is required (e.g. 127.0.0.1:9092)")
                .hasMessageContaining("APP_TOKEN must be at least 16 characters")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void aMisspeltVariableInTheAppsOwnPrefixesIsRefusedWithWhatItMeant() {
        assertThatThrownBy(() -> APP.read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "APP_PROT", "9000")))
                .hasMessageContaining(
                        "unknown variable APP_PROT (did you mean APP_PORT?); app reads APP_* as its own settings");
        assertThatThrownBy(() -> APP.read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "APP_COLOUR", "blue")))
                .hasMessageContaining("unknown variable APP_COLOUR;");
        // Outside the app's prefixes, and inside a prefix it leaves to someone else: none of its business.
        assertThat(APP.read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "PATH", "/usr/bin", "APP_TEST_BACKEND", "x"))
                        .get(PORT))
                .isEqualTo(8080);
    }

    @Test
    void aPassThroughOfWhatTheAppFixesIsRefusedAndTheRestPassesAsClientSettings() {
        assertThatThrownBy(() -> APP.read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "KAFKA_PRODUCER_ACKS", "1")))
                .hasMessageContaining(
                        "KAFKA_PRODUCER_ACKS would set the Kafka producer's acks, which the app fixes to all");
        Settings settings = APP.read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "KAFKA_PRODUCER_LINGER_MS", "20"));
        assertThat(settings.passThrough("KAFKA_PRODUCER_")).isEqualTo(Map.of("linger.ms", "20"));
    }

    @Test
    void contradictionsAreRefusedOnceEverySettingParsed() {
        assertThatThrownBy(
                        () -> APP.read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "APP_HEADER_TIMEOUT_MS", "30000")))
                .hasMessageContaining("APP_HEADER_TIMEOUT_MS must be less than APP_IDLE_TIMEOUT_MS");
        // With a value that does not parse, the check has nothing to compare: only the parse problem is named.
        assertThatThrownBy(() -> APP.read(Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092", "APP_HEADER_TIMEOUT_MS", "soon")))
                .hasMessageNotContaining("must be less than");
    }

    @Test
    void aDeclarationIsCheckedWhenItIsMade() {
        assertThatThrownBy(() -> Setting.port("APP_PORT", "HTTP port.").defaultValue(70_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("APP_PORT: the default '70000' must be between 0 and 65535");
        assertThatThrownBy(() -> SettingsDef.of("app", List.of(PORT, Setting.text("APP_PORT", "again."))))
                .hasMessage("app: APP_PORT is declared 2 times");
    }

    @Test
    void aParserMayStateAProblemWhole() {
        Setting<String> file = Setting.of(
                "APP_FILE",
                "file",
                text -> {
                    throw new Setting.Invalid(": " + text + " does not exist");
                },
                "A file.");
        assertThatThrownBy(() -> SettingsDef.of("app", List.of(file)).read(Map.of("APP_FILE", "/nowhere")))
                .hasMessageContaining("APP_FILE: /nowhere does not exist");
    }
}
