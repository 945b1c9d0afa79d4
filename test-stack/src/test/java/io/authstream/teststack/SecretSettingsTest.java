package io.authstream.teststack;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.config.Setting;
import io.authstream.config.SettingsDef;
import io.authstream.testrecords.TestSecrets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretSettingsTest {

    private static final SettingsDef KEYS = SettingsDef.of(
            "test",
            List.of(
                    Setting.text("TOKEN", "a token").secret(),
                    Setting.text("PAIRS", "id:secret,...").secret(),
                    Setting.text("UNSET", "not configured").secret(),
                    Setting.text("HOST", "not a secret")));

    @Test
    void theValuesOfSecretKeysAreRegisteredWithTheirSecretPartsButPlainSettingsAreNot() {
        SecretSettings.register(
                Map.of(
                        "TOKEN",
                        "Bearer settings-token-123",
                        "PAIRS",
                        "AKIDONE:settings-secret-1",
                        "HOST",
                        "settings-host.example.com"),
                KEYS);
        assertThat(TestSecrets.all())
                .contains("Bearer settings-token-123", "settings-token-123", "settings-secret-1")
                .doesNotContain("settings-host.example.com");
    }
}
