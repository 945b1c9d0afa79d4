package io.authstream.teststack;

import io.authstream.config.Setting;
import io.authstream.config.SettingsDef;
import io.authstream.testrecords.TestSecrets;
import java.util.Map;

/**
 * Registers with {@link TestSecrets} the values an application's environment sets for its secret
 * settings (those its {@link SettingsDef} declares {@link Setting#secret() secret}), as credentials:
 * with their secret parts.
 */
public final class SecretSettings {

    private SecretSettings() {}

    public static void register(Map<String, String> env, SettingsDef definition) {
        for (Setting<?> setting : definition.settings()) {
            String value = env.get(setting.name());
            if (setting.isSecret() && value != null && !value.isBlank()) {
                TestSecrets.registerCredential(value);
            }
        }
    }
}
