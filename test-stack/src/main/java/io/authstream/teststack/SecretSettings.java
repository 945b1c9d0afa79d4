package io.authstream.teststack;

import io.authstream.config.EnvSettings.Key;
import io.authstream.testrecords.TestSecrets;
import java.util.List;
import java.util.Map;

/**
 * Registers with {@link TestSecrets} the values an application's environment sets for its secret
 * keys (those its {@link Key} list marks secret), as credentials: with their secret parts.
 */
public final class SecretSettings {

    private SecretSettings() {}

    public static void register(Map<String, String> env, List<Key> keys) {
        for (Key key : keys) {
            String value = env.get(key.name());
            if (key.secret() && value != null && !value.isBlank()) {
                TestSecrets.registerCredential(value);
            }
        }
    }
}
