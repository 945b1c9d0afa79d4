package io.authstream.connect.auth0;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/** The Auth0 settings every Auth0 connector takes, and the client settings they make. */
public final class Auth0Config {

    public static final String DOMAIN = "auth0.domain";
    public static final String CUSTOM_DOMAIN = "auth0.custom.domain";
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
        return def.define(
                        DOMAIN,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        Auth0Config::validDomain,
                        Importance.HIGH,
                        "The tenant's own base URL, e.g. https://dev-abc.eu.auth0.com; https (plain http only for a loopback"
                                + " host, for tests). The Management API's audience is on it.",
                        GROUP,
                        1,
                        ConfigDef.Width.LONG,
                        "Domain")
                .define(
                        CUSTOM_DOMAIN,
                        Type.STRING,
                        "",
                        Auth0Config::validCustomDomain,
                        Importance.LOW,
                        "The tenant's custom domain, e.g. https://login.example.com, to request tokens and call the Management"
                                + " API on instead of auth0.domain (Auth0 honours a token only on the domain that issued it);"
                                + " empty for auth0.domain.",
                        GROUP,
                        2,
                        ConfigDef.Width.LONG,
                        "Custom domain")
                .define(
                        CLIENT_ID,
                        Type.STRING,
                        ConfigDef.NO_DEFAULT_VALUE,
                        new ConfigDef.NonEmptyString(),
                        Importance.HIGH,
                        "Client id of a machine-to-machine application authorized for the Management API.",
                        GROUP,
                        3,
                        ConfigDef.Width.MEDIUM,
                        "Client id")
                .define(
                        CLIENT_SECRET,
                        Type.PASSWORD,
                        ConfigDef.NO_DEFAULT_VALUE,
                        Importance.HIGH,
                        "Its client secret; never logged.",
                        GROUP,
                        4,
                        ConfigDef.Width.MEDIUM,
                        "Client secret")
                .define(
                        AUDIENCE,
                        Type.STRING,
                        "",
                        Auth0Config::validAudience,
                        Importance.LOW,
                        "Management API identifier; empty for <auth0.domain>/api/v2/. Must be on the host of auth0.domain"
                                + " or auth0.custom.domain.",
                        GROUP,
                        5,
                        ConfigDef.Width.LONG,
                        "Audience")
                .define(
                        REFRESH_BUFFER_MS,
                        Type.LONG,
                        300_000L,
                        ConfigDef.Range.atLeast(0),
                        Importance.LOW,
                        "Renew the access token this long before it expires (at most half its lifetime before; the"
                                + " lifetime Auth0 states is taken between 1 s and 24 h, 60 s when it states none).",
                        GROUP,
                        6,
                        ConfigDef.Width.SHORT,
                        "Refresh buffer (ms)")
                .define(
                        MAX_TRIES,
                        Type.INT,
                        5,
                        ConfigDef.Range.between(1, 100),
                        Importance.LOW,
                        "Attempts per Management API call (429, 5xx and timeouts are retried).",
                        GROUP,
                        7,
                        ConfigDef.Width.SHORT,
                        "Max tries")
                .define(
                        BACKOFF_INITIAL_MS,
                        Type.LONG,
                        500L,
                        ConfigDef.Range.between(1, 600_000),
                        Importance.LOW,
                        "First backoff after a 5xx or timeout; doubles with full jitter.",
                        GROUP,
                        8,
                        ConfigDef.Width.SHORT,
                        "Initial backoff (ms)")
                .define(
                        BACKOFF_MAX_MS,
                        Type.LONG,
                        30_000L,
                        ConfigDef.Range.between(1, 3_600_000),
                        Importance.LOW,
                        "Longest backoff between attempts.",
                        GROUP,
                        9,
                        ConfigDef.Width.SHORT,
                        "Max backoff (ms)")
                .define(
                        REQUEST_TIMEOUT_MS,
                        Type.LONG,
                        10_000L,
                        ConfigDef.Range.between(100, 600_000),
                        Importance.LOW,
                        "Timeout of one HTTP exchange with Auth0.",
                        GROUP,
                        10,
                        ConfigDef.Width.SHORT,
                        "Request timeout (ms)");
    }

    /**
     * The checks between settings, which no single setting's validator can make; the config
     * classes run them in their constructor.
     *
     * @throws ConfigException naming {@link #AUDIENCE} when it is on another host
     */
    public static void check(AbstractConfig config) {
        audienceProblem(config.getString(DOMAIN), config.getString(CUSTOM_DOMAIN), config.getString(AUDIENCE))
                .ifPresent(problem -> {
                    throw new ConfigException(AUDIENCE, config.getString(AUDIENCE), problem);
                });
        backoffProblem(config.getLong(BACKOFF_INITIAL_MS), config.getLong(BACKOFF_MAX_MS))
                .ifPresent(problem -> {
                    throw new ConfigException(BACKOFF_INITIAL_MS, config.getLong(BACKOFF_INITIAL_MS), problem);
                });
    }

    /** The first backoff must not exceed the longest: the doubling would start beyond its own cap. */
    public static Optional<String> backoffProblem(long initialMs, long maxMs) {
        return initialMs <= maxMs
                ? Optional.empty()
                : Optional.of("must not exceed " + BACKOFF_MAX_MS + " (" + maxMs + ")");
    }

    /**
     * {@code validated} (a connector's per-setting validation) with the checks between settings
     * added, so the worker's validate call and {@code PUT /connectors/.../config} refuse them too.
     */
    public static Config validate(Config validated) {
        Map<String, ConfigValue> values = validated.configValues().stream()
                .collect(Collectors.toMap(ConfigValue::name, Function.identity(), (a, b) -> a));
        ConfigValue initial = values.get(BACKOFF_INITIAL_MS);
        ConfigValue max = values.get(BACKOFF_MAX_MS);
        if (initial != null && max != null && initial.value() instanceof Long i && max.value() instanceof Long m) {
            backoffProblem(i, m).ifPresent(initial::addErrorMessage);
        }
        ConfigValue domain = values.get(DOMAIN);
        ConfigValue custom = values.get(CUSTOM_DOMAIN);
        ConfigValue audience = values.get(AUDIENCE);
        if (domain == null
                || custom == null
                || audience == null
                || !domain.errorMessages().isEmpty()
                || !custom.errorMessages().isEmpty()
                || !audience.errorMessages().isEmpty()
                || !(domain.value() instanceof String d)) {
            return validated;
        }
        audienceProblem(d, custom.value() instanceof String c ? c : "", audience.value() instanceof String a ? a : "")
                .ifPresent(audience::addErrorMessage);
        return validated;
    }

    public static Auth0ClientSettings clientSettings(AbstractConfig config) {
        URI tenant = TenantUrl.base(config.getString(DOMAIN));
        String custom = config.getString(CUSTOM_DOMAIN);
        URI calls = custom.isEmpty() ? tenant : TenantUrl.base(custom);
        String audience = config.getString(AUDIENCE).isEmpty() ? tenant + "api/v2/" : config.getString(AUDIENCE);
        return new Auth0ClientSettings(
                calls,
                config.getString(CLIENT_ID),
                config.getPassword(CLIENT_SECRET).value(),
                audience.endsWith("/") ? audience : audience + "/",
                Duration.ofMillis(config.getLong(REFRESH_BUFFER_MS)),
                config.getInt(MAX_TRIES),
                Duration.ofMillis(config.getLong(BACKOFF_INITIAL_MS)),
                Duration.ofMillis(config.getLong(BACKOFF_MAX_MS)),
                Duration.ofMillis(config.getLong(REQUEST_TIMEOUT_MS)));
    }

    /**
     * A token is only as safe as the API it is for: an audience on some other host would have
     * Auth0 mint tokens for an API this connector has no business calling.
     */
    static Optional<String> audienceProblem(String domain, String customDomain, String audience) {
        if (audience == null || audience.isEmpty()) {
            return Optional.empty();
        }
        Set<String> hosts = new LinkedHashSet<>();
        TenantUrl.host(domain).ifPresent(hosts::add);
        if (customDomain != null && !customDomain.isEmpty()) {
            TenantUrl.host(customDomain).ifPresent(hosts::add);
        }
        Optional<String> host = TenantUrl.host(audience);
        if (host.isPresent() && hosts.contains(host.get())) {
            return Optional.empty();
        }
        return Optional.of("must be on the host of " + DOMAIN + (hosts.size() > 1 ? " or " + CUSTOM_DOMAIN : "") + " ("
                + String.join(", ", hosts) + "), e.g. " + TenantUrl.base(domain) + "api/v2/");
    }

    private static void validDomain(String name, Object value) {
        TenantUrl.problem((String) value).ifPresent(problem -> {
            throw new ConfigException(name, value, problem);
        });
    }

    private static void validCustomDomain(String name, Object value) {
        if (value != null && !((String) value).isEmpty()) {
            validDomain(name, value);
        }
    }

    private static void validAudience(String name, Object value) {
        String audience = (String) value;
        if (audience == null || audience.isEmpty()) {
            return;
        }
        try {
            URI uri = new URI(audience);
            if (!"https".equalsIgnoreCase(uri.getScheme())
                            && !("http".equalsIgnoreCase(uri.getScheme())
                                    && uri.getHost() != null
                                    && TenantUrl.isLoopback(uri.getHost()))
                    || uri.getHost() == null) {
                throw new ConfigException(
                        name,
                        value,
                        "must be the Management API identifier, like https://dev-abc.eu.auth0.com/api/v2/");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(
                    name, value, "must be the Management API identifier, like https://dev-abc.eu.auth0.com/api/v2/");
        }
    }
}
