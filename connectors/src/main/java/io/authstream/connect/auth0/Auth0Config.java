package io.authstream.connect.auth0;

import java.net.URI;
import java.time.Duration;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/** The Auth0 settings every Auth0 connector takes, and the client settings they make. */
public final class Auth0Config {

    public static final String DOMAIN = "auth0.domain";
    public static final String CLIENT_ID = "auth0.client.id";
    public static final String CLIENT_SECRET = "auth0.client.secret";
    public static final String AUDIENCE = "auth0.audience";
    public static final String REFRESH_BUFFER_MS = "auth0.token.refresh.buffer.ms";
    public static final String MAX_TRIES = "auth0.max.tries";
    public static final String BACKOFF_INITIAL_MS = "auth0.retry.backoff.initial.ms";
    public static final String BACKOFF_MAX_MS = "auth0.retry.backoff.max.ms";
    public static final String REQUEST_TIMEOUT_MS = "auth0.request.timeout.ms";

    private static final String GROUP = "Auth0";

    private Auth0Config() {}

    /** Adds the Auth0 settings to {@code def}. */
    public static ConfigDef define(ConfigDef def) {
        return def
                .define(DOMAIN, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Auth0Config::validDomain, Importance.HIGH,
                        "The tenant's base URL, e.g. https://dev-abc.eu.auth0.com (or a custom domain).", GROUP, 1,
                        ConfigDef.Width.LONG, "Domain")
                .define(CLIENT_ID, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), Importance.HIGH,
                        "Client id of a machine-to-machine application authorized for the Management API.", GROUP, 2,
                        ConfigDef.Width.MEDIUM, "Client id")
                .define(CLIENT_SECRET, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                        "Its client secret; never logged.", GROUP, 3, ConfigDef.Width.MEDIUM, "Client secret")
                .define(AUDIENCE, Type.STRING, "", Importance.LOW,
                        "Management API identifier; empty for <domain>/api/v2/.", GROUP, 4, ConfigDef.Width.LONG, "Audience")
                .define(REFRESH_BUFFER_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0), Importance.LOW,
                        "Renew the access token this long before it expires.", GROUP, 5, ConfigDef.Width.SHORT, "Refresh buffer (ms)")
                .define(MAX_TRIES, Type.INT, 5, ConfigDef.Range.between(1, 100), Importance.LOW,
                        "Attempts per Management API call (429, 5xx and timeouts are retried).", GROUP, 6, ConfigDef.Width.SHORT,
                        "Max tries")
                .define(BACKOFF_INITIAL_MS, Type.LONG, 500L, ConfigDef.Range.between(1, 600_000), Importance.LOW,
                        "First backoff after a 5xx or timeout; doubles with full jitter.", GROUP, 7, ConfigDef.Width.SHORT,
                        "Initial backoff (ms)")
                .define(BACKOFF_MAX_MS, Type.LONG, 30_000L, ConfigDef.Range.between(1, 3_600_000), Importance.LOW,
                        "Longest backoff between attempts.", GROUP, 8, ConfigDef.Width.SHORT, "Max backoff (ms)")
                .define(REQUEST_TIMEOUT_MS, Type.LONG, 10_000L, ConfigDef.Range.between(100, 600_000), Importance.LOW,
                        "Timeout of one HTTP exchange with Auth0.", GROUP, 9, ConfigDef.Width.SHORT, "Request timeout (ms)");
    }

    public static Auth0ClientSettings clientSettings(AbstractConfig config) {
        Auth0ClientSettings defaults = Auth0ClientSettings.of(URI.create(config.getString(DOMAIN)), config.getString(CLIENT_ID),
                config.getPassword(CLIENT_SECRET).value());
        String audience = config.getString(AUDIENCE).isEmpty() ? defaults.audience() : config.getString(AUDIENCE);
        return new Auth0ClientSettings(defaults.domain(), defaults.clientId(), defaults.clientSecret(),
                audience.endsWith("/") ? audience : audience + "/",
                Duration.ofMillis(config.getLong(REFRESH_BUFFER_MS)), config.getInt(MAX_TRIES),
                Duration.ofMillis(config.getLong(BACKOFF_INITIAL_MS)), Duration.ofMillis(config.getLong(BACKOFF_MAX_MS)),
                Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS)));
    }

    private static void validDomain(String name, Object value) {
        try {
            URI uri = new URI((String) value);
            if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(name, value, "must be the tenant URL, like https://dev-abc.eu.auth0.com");
            }
        } catch (java.net.URISyntaxException | NullPointerException e) {
            throw new ConfigException(name, value, "must be the tenant URL, like https://dev-abc.eu.auth0.com");
        }
    }
}
