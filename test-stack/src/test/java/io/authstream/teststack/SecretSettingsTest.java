package io.authstream.teststack;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.config.EnvSettings.Key;
import io.authstream.testrecords.TestSecrets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretSettingsTest {

    private static final List<Key> KEYS = List.of(new Key("TOKEN", null, true, "a token"),
            new Key("PAIRS", null, true, "id:secret,..."), new Key("UNSET", null, true, "not configured"),
            new Key("HOST", null, false, "not a secret"));

    @Test
    void theValuesOfSecretKeysAreRegisteredWithTheirSecretPartsButPlainSettingsAreNot() {
        SecretSettings.register(Map.of("TOKEN", "Bearer settings-token-123", "PAIRS", "AKIDONE:settings-secret-1",
                "HOST", "settings-host.example.com"), KEYS);
        assertThat(TestSecrets.all()).contains("Bearer settings-token-123", "settings-token-123", "settings-secret-1")
                .doesNotContain("settings-host.example.com");
    }
}
