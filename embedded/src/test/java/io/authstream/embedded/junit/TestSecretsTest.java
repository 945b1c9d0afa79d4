package io.authstream.embedded.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.config.EnvSettings.Key;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TestSecretsTest {

    private static final List<Key> KEYS = List.of(new Key("TOKEN", null, true, "a token"),
            new Key("BASIC", null, true, "user:password"), new Key("PAIRS", null, true, "id:secret,..."),
            new Key("HOST", null, false, "not a secret"), new Key("SHORT", null, true, "too short to check"));

    @Test
    void secretValuesAndTheirSecretPartsAreRegisteredButNotPlainSettingsOrShortValues() {
        TestSecrets.registerFrom(Map.of("TOKEN", "Bearer tok-1234567890", "BASIC", "auth0:pass-1234567890",
                "PAIRS", "AKIDONE:secret-one-123,AKIDTWO:secret-two-123", "HOST", "host.example.com", "SHORT", "p"), KEYS);
        assertThat(TestSecrets.all()).contains("Bearer tok-1234567890", "tok-1234567890", "auth0:pass-1234567890",
                "pass-1234567890", "secret-one-123", "secret-two-123").doesNotContain("host.example.com", "p", "Bearer");
    }

    @Test
    void aLogLineHoldingARegisteredSecretIsFound() {
        TestSecrets.register("leaky-secret-value");
        try (LogCapture logs = LogCapture.start()) {
            LoggerFactory.getLogger(TestSecretsTest.class).warn("connecting with password {}", "leaky-secret-value",
                    new IllegalStateException("also in here: leaky-secret-value"));
            LoggerFactory.getLogger(TestSecretsTest.class).warn("nothing to see");
            assertThat(logs.linesContainingAny(TestSecrets.all())).hasSize(1);
        }
    }
}
