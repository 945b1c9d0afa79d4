package io.authstream.connect.auth0;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The base URL of an Auth0 tenant (or of its custom domain), as the client may use it. The
 * client sends its secret and its bearer tokens there, so it must be https: plain http is taken
 * only for a loopback host, where a test's WireMock answers and nothing crosses a network.
 */
public final class TenantUrl {

    private static final Pattern LOOPBACK_IPV4 = Pattern.compile("127(\\.\\d{1,3}){3}");
    private static final String EXAMPLE = "like https://dev-abc.eu.auth0.com";

    private TenantUrl() {}

    /** What is wrong with {@code value} as a tenant base URL; empty when it is one. */
    public static Optional<String> problem(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException | NullPointerException e) {
            return Optional.of("must be the tenant URL, " + EXAMPLE);
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return Optional.of("must be the tenant URL, " + EXAMPLE);
        }
        // A path, query or user part would be sent along with every call, or hide the real host.
        if (uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || !(uri.getRawPath() == null
                        || uri.getRawPath().isEmpty()
                        || uri.getRawPath().equals("/"))) {
            return Optional.of("must be the tenant URL alone (scheme and host, no path, query or user), " + EXAMPLE);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || scheme.equals("http") && isLoopback(uri.getHost())) {
            return Optional.empty();
        }
        return Optional.of("must be an https URL (plain http only for a loopback host such as 127.0.0.1), " + EXAMPLE);
    }

    /** {@code value} with a trailing slash, for resolving {@code oauth/token} and {@code api/v2/...} against. */
    public static URI base(String value) {
        return URI.create(value.endsWith("/") ? value : value + "/");
    }

    /** The host of {@code value} in lower case, or empty when it has none. */
    static Optional<String> host(String value) {
        try {
            return Optional.ofNullable(new URI(value).getHost()).map(h -> h.toLowerCase(Locale.ROOT));
        } catch (URISyntaxException | NullPointerException e) {
            return Optional.empty();
        }
    }

    /** By name or literal only: resolving a name here would let DNS decide what counts as local. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost")
                || h.equals("[::1]")
                || h.equals("::1")
                || LOOPBACK_IPV4.matcher(h).matches();
    }
}
