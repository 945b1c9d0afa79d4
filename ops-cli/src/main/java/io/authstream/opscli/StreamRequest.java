package io.authstream.opscli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code auth0 connect} asks the Management API for: a Log Stream (custom webhook) or an
 * Event Stream (webhook or EventBridge), checked as the infrastructure module authstream replaces
 * checked it, with a fresh credential and the gateway setting that accepts it.
 */
final class StreamRequest {

    enum Kind {
        LOG_STREAM("log-stream"),
        EVENT_STREAM("event-stream");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        static Kind of(String text) {
            for (Kind kind : values()) {
                if (kind.label.equalsIgnoreCase(text)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("--kind must be log-stream or event-stream, got " + text);
        }
    }

    /** The path of each kind's route on the gateway (docs/gateway.md). */
    static final String LOG_STREAM_ROUTE = "/webhooks/auth0/log-stream";

    static final String EVENT_STREAM_ROUTE = "/webhooks/auth0/event-stream";
    static final String EVENTBRIDGE = "eventbridge";

    private static final Pattern AWS_ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final List<String> FORMATS = List.of("JSONLINES", "JSONARRAY", "JSONOBJECT");
    private static final List<String> STATUSES = List.of("active", "suspended", "disabled");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The request body, the credential printed once, and the gateway variable to set to it. */
    record Prepared(String path, ObjectNode body, String setting, String settingValue) {}

    private StreamRequest() {}

    /** Everything wrong with the options, all at once; empty when they are fine. */
    static List<String> problems(
            Kind kind,
            String gatewayUrl,
            String authorization,
            List<String> subscriptions,
            String format,
            String destination,
            String awsAccountId,
            String awsRegion,
            String status) {
        List<String> problems = new ArrayList<>();
        boolean eventBridge = kind == Kind.EVENT_STREAM && EVENTBRIDGE.equalsIgnoreCase(destination);
        if (!eventBridge) {
            gatewayProblem(gatewayUrl).ifPresent(problems::add);
            if (!authorization.equals("bearer") && !authorization.equals("basic")) {
                problems.add("--authorization must be bearer or basic, got " + authorization);
            }
        } else {
            if (awsAccountId == null || !AWS_ACCOUNT.matcher(awsAccountId).matches()) {
                problems.add("--aws-account-id must be the 12-digit AWS account id");
            }
            if (awsRegion == null || !AWS_REGION.matcher(awsRegion).matches()) {
                problems.add("--aws-region must be an AWS region such as us-east-1");
            }
        }
        if (kind == Kind.EVENT_STREAM) {
            if (subscriptions.stream().noneMatch(s -> !s.isBlank())) {
                problems.add("--subscriptions needs at least one event type, e.g. user.created");
            }
            if (destination != null && !destination.equals("webhook") && !eventBridge) {
                problems.add("--destination must be webhook or eventbridge, got " + destination);
            }
        } else if (!FORMATS.contains(format)) {
            problems.add("--format must be one of " + FORMATS + ", got " + format);
        }
        if (!STATUSES.contains(status)) {
            problems.add("--status must be one of " + STATUSES + ", got " + status);
        }
        return problems;
    }

    private static Optional<String> gatewayProblem(String gatewayUrl) {
        if (gatewayUrl == null) {
            return Optional.of("--gateway-url is required (the gateway's public https:// URL)");
        }
        try {
            URI uri = new URI(gatewayUrl);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return Optional.of(
                        "--gateway-url must be an https:// URL (Auth0 posts only to https), got " + gatewayUrl);
            }
            if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                return Optional.of("--gateway-url must have no user, query or fragment");
            }
        } catch (URISyntaxException e) {
            return Optional.of("--gateway-url is not a URL: " + gatewayUrl);
        }
        return Optional.empty();
    }

    /** The endpoint Auth0 posts to: the gateway's base URL and the route of the kind. */
    static String endpoint(String gatewayUrl, Kind kind) {
        String base = gatewayUrl.replaceAll("/+$", "");
        String route = kind == Kind.LOG_STREAM ? LOG_STREAM_ROUTE : EVENT_STREAM_ROUTE;
        return base.endsWith(route) ? base : base + route;
    }

    /**
     * The status to PATCH after creating ({@code null}: none, a new stream is active). Log streams
     * know active, paused and suspended (disabled is their paused); event streams enabled and disabled.
     */
    static String patchStatus(Kind kind, String status) {
        if (status.equals("active")) {
            return null;
        }
        if (kind == Kind.EVENT_STREAM) {
            return "disabled";
        }
        return status.equals("disabled") ? "paused" : status;
    }

    static Prepared logStream(String name, String gatewayUrl, String authorization, String format) {
        String header = authorization.equals("basic")
                ? "Basic "
                        + Base64.getEncoder()
                                .encodeToString(("authstream:" + secret()).getBytes(StandardCharsets.UTF_8))
                : "Bearer " + secret();
        ObjectNode body = RecordJson.JSON.createObjectNode();
        body.put("name", name);
        body.put("type", "http");
        ObjectNode sink = body.putObject("sink");
        sink.put("httpEndpoint", endpoint(gatewayUrl, Kind.LOG_STREAM));
        sink.put("httpAuthorization", header);
        sink.put("httpContentFormat", format);
        sink.put("httpContentType", "application/json");
        return new Prepared("log-streams", body, "AUTH0_LOG_STREAM_AUTHORIZATION", header);
    }

    static Prepared eventStream(
            String name,
            String gatewayUrl,
            String authorization,
            List<String> subscriptions,
            String destination,
            String awsAccountId,
            String awsRegion) {
        ObjectNode body = RecordJson.JSON.createObjectNode();
        body.put("name", name);
        ArrayNode subs = body.putArray("subscriptions");
        subscriptions.stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .forEach(s -> subs.addObject().put("event_type", s));
        ObjectNode target = body.putObject("destination");
        ObjectNode configuration;
        if (EVENTBRIDGE.equalsIgnoreCase(destination)) {
            target.put("type", "eventbridge");
            configuration = target.putObject("configuration");
            configuration.put("aws_account_id", awsAccountId);
            configuration.put("aws_region", awsRegion);
            return new Prepared("event-streams", body, null, null);
        }
        target.put("type", "webhook");
        configuration = target.putObject("configuration");
        configuration.put("webhook_endpoint", endpoint(gatewayUrl, Kind.EVENT_STREAM));
        ObjectNode auth = configuration.putObject("webhook_authorization");
        if (authorization.equals("basic")) {
            String password = secret();
            auth.put("method", "basic");
            auth.put("username", "authstream");
            auth.put("password", password);
            return new Prepared("event-streams", body, "AUTH0_EVENT_STREAM_BASIC_AUTH", "authstream:" + password);
        }
        String token = secret();
        auth.put("method", "bearer");
        auth.put("token", token);
        return new Prepared("event-streams", body, "AUTH0_EVENT_STREAM_BEARER_TOKEN", token);
    }

    /** 32 random bytes as hex: a credential nobody chose. */
    static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
