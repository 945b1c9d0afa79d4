package io.authstream.connect.testing;

import io.authstream.testrecords.TestSecrets;
import java.util.HashMap;
import java.util.Map;

/** The settings every Auth0 connector requires, for config tests to extend. */
public final class Auth0Settings {

    public static final String SECRET = "very-secret-value";

    private Auth0Settings() {}

    /** A mutable map with a tenant, a client, its secret and a registry. */
    public static Map<String, String> required() {
        TestSecrets.register(SECRET);
        Map<String, String> props = new HashMap<>();
        props.put("auth0.domain", "https://dev-abc.eu.auth0.com");
        props.put("auth0.client.id", "m2m");
        props.put("auth0.client.secret", SECRET);
        props.put("schema.registry.url", "http://registry:8081");
        return props;
    }
}
