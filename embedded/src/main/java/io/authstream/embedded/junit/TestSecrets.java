package io.authstream.embedded.junit;

import io.authstream.schemas.config.EnvSettings.Key;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets tests configure (route credentials, passwords, keys), so that {@link StackExtension}
 * can check, after each test class, that none of them reached a log line of the JVM.
 */
public final class TestSecrets {

    /** Shorter values (a test's "p") would match ordinary words; a real secret is longer. */
    static final int MIN_LENGTH = 8;

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private TestSecrets() {}

    /**
     * Registers the value of every secret key set in {@code env}, and the part that is the secret
     * proper: the token after {@code Bearer }/{@code Basic }, the password after {@code user:}.
     */
    public static void registerFrom(Map<String, String> env, List<Key> keys) {
        for (Key key : keys) {
            String value = env.get(key.name());
            if (key.secret() && value != null) {
                for (String pair : value.split(",")) {
                    register(pair.trim());
                    register(pair.substring(pair.indexOf(':') + 1).trim());
                    register(pair.substring(pair.indexOf(' ') + 1).trim());
                }
            }
        }
    }

    public static void register(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH) {
            SECRETS.add(secret);
        }
    }

    static Set<String> all() {
        return Set.copyOf(SECRETS);
    }
}
