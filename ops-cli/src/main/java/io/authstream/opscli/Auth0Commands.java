package io.authstream.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.connect.auth0.Auth0ClientSettings;
import io.authstream.connect.auth0.Auth0ManagementClient;
import io.authstream.connect.auth0.TenantUrl;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code auth0 connect|status|disconnect}: the tenant's Log Streams and Event Streams through
 * the Management API, with the connectors' client (client credentials from {@code AUTH0_DOMAIN},
 * {@code AUTH0_CLIENT_ID}, {@code AUTH0_CLIENT_SECRET}; 429s waited out, 5xx retried). The secret
 * is read from the environment only, never from an option a process list would show.
 */
@Command(
        name = "auth0",
        mixinStandardHelpOptions = true,
        description = {
            "The Auth0 tenant's streams to the gateway, through the Management API (a machine-to-machine "
                    + "application: AUTH0_DOMAIN, AUTH0_CLIENT_ID, AUTH0_CLIENT_SECRET from the environment).",
            "Scopes: read:log_streams, create:log_streams, update:log_streams, delete:log_streams and the same "
                    + "for event_streams."
        },
        subcommands = {Auth0Commands.Connect.class, Auth0Commands.Status.class, Auth0Commands.Disconnect.class})
final class Auth0Commands implements Runnable {

    /** The sources the gateway's Auth0 routes give their events (docs/gateway.md). */
    static final String LOG_STREAM_SOURCE = "auth0.log-stream";

    static final String EVENT_STREAM_SOURCE = "auth0.event-stream";
    /** The gateway's source for events an EventBridge API destination relays. */
    static final String EVENTBRIDGE_SOURCE = "eventbridge.relay";

    @Spec
    CommandLine.Model.CommandSpec spec;

    @ParentCommand
    AuthstreamCommand root;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    Auth0ManagementClient client() {
        Map<String, String> env = root.env;
        List<String> missing = new ArrayList<>();
        for (String name : List.of("AUTH0_DOMAIN", "AUTH0_CLIENT_ID", "AUTH0_CLIENT_SECRET")) {
            if (env.get(name) == null || env.get(name).isBlank()) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("set " + String.join(", ", missing)
                    + " (the machine-to-machine application of the Management API)");
        }
        String domain = env.get("AUTH0_DOMAIN").trim();
        if (!domain.contains("://")) {
            domain = "https://" + domain;
        }
        TenantUrl.problem(domain).ifPresent(problem -> {
            throw new IllegalArgumentException("AUTH0_DOMAIN " + problem);
        });
        return new Auth0ManagementClient(Auth0ClientSettings.of(
                URI.create(domain),
                env.get("AUTH0_CLIENT_ID").trim(),
                env.get("AUTH0_CLIENT_SECRET").trim()));
    }

    /** A refused call: Auth0's status, code and message (never what was sent: it holds the credential). */
    static String refusal(String what, Auth0ManagementClient.Response response) {
        JsonNode body = response.body();
        String code = body == null
                ? ""
                : body.path("errorCode").asText(body.path("error").asText(""));
        String message = body == null ? "" : body.path("message").asText("");
        String hint = switch (response.status()) {
            case 401 -> ": the token was refused; check AUTH0_CLIENT_ID / AUTH0_CLIENT_SECRET and AUTH0_DOMAIN";
            case 403 -> ": the application lacks a scope for this (see auth0 --help)";
            default -> "";
        };
        return what + " refused: HTTP " + response.status() + (code.isEmpty() ? "" : " " + code)
                + (message.isEmpty() ? "" : " (" + message + ")") + hint;
    }

    @Command(
            name = "connect",
            mixinStandardHelpOptions = true,
            description = {
                "Creates a Log Stream (custom webhook) or an Event Stream (webhook or EventBridge) that posts to the "
                        + "gateway, with a freshly generated credential.",
                "Prints the credential once, as the gateway setting that accepts it "
                        + "(AUTH0_LOG_STREAM_AUTHORIZATION, AUTH0_EVENT_STREAM_BEARER_TOKEN or "
                        + "AUTH0_EVENT_STREAM_BASIC_AUTH): set it on the gateway; it is stored nowhere else."
            })
    static final class Connect implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @ParentCommand
        Auth0Commands auth0;

        @Option(
                names = "--gateway-url",
                paramLabel = "URL",
                description = "The gateway's public https:// URL; the route's path is added.")
        String gatewayUrl;

        @Option(
                names = "--kind",
                required = true,
                paramLabel = "KIND",
                description = "log-stream (every tenant log) or event-stream (user lifecycle events).")
        String kind;

        @Option(
                names = "--subscriptions",
                split = ",",
                paramLabel = "TYPE",
                defaultValue = "user.created,user.updated,user.deleted",
                description = "Event stream: the event types (default ${DEFAULT-VALUE}).")
        List<String> subscriptions;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "JSONLINES",
                description = "Log stream: JSONLINES, JSONARRAY or JSONOBJECT (default ${DEFAULT-VALUE}); "
                        + "the gateway takes all three.")
        String format;

        @Option(
                names = "--authorization",
                paramLabel = "METHOD",
                defaultValue = "bearer",
                description = "bearer or basic (default ${DEFAULT-VALUE}).")
        String authorization;

        @Option(
                names = "--destination",
                paramLabel = "TYPE",
                defaultValue = "webhook",
                description = "Event stream: webhook (to the gateway, the default) or eventbridge.")
        String destination;

        @Option(names = "--aws-account-id", paramLabel = "ID", description = "EventBridge: the 12-digit account id.")
        String awsAccountId;

        @Option(names = "--aws-region", paramLabel = "REGION", description = "EventBridge: the region, e.g. us-east-1.")
        String awsRegion;

        @Option(
                names = "--status",
                paramLabel = "STATUS",
                defaultValue = "active",
                description = "active (the default), suspended or disabled.")
        String status;

        @Option(
                names = "--name",
                paramLabel = "NAME",
                defaultValue = "authstream-gateway",
                description = "The stream's name in Auth0 (default ${DEFAULT-VALUE}).")
        String name;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            StreamRequest.Kind streamKind;
            try {
                streamKind = StreamRequest.Kind.of(kind);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            List<String> problems = StreamRequest.problems(
                    streamKind,
                    gatewayUrl,
                    authorization,
                    subscriptions,
                    format,
                    streamKind == StreamRequest.Kind.EVENT_STREAM ? destination : null,
                    awsAccountId,
                    awsRegion,
                    status);
            if (!problems.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
            }
            StreamRequest.Prepared request = streamKind == StreamRequest.Kind.LOG_STREAM
                    ? StreamRequest.logStream(name, gatewayUrl, authorization, format)
                    : StreamRequest.eventStream(
                            name, gatewayUrl, authorization, subscriptions, destination, awsAccountId, awsRegion);
            Auth0ManagementClient client = auth0.client();
            Auth0ManagementClient.Response created = client.post(request.path(), request.body());
            if (created.status() / 100 != 2) {
                err.println("authstream: " + refusal("creating the " + streamKind.label, created));
                return 1;
            }
            JsonNode stream = created.body() == null ? RecordJson.JSON.createObjectNode() : created.body();
            String id = stream.path("id").asText();
            String state = stream.path("status").asText("active");
            String patch = StreamRequest.patchStatus(streamKind, status);
            if (patch != null) {
                Auth0ManagementClient.Response patched = client.patch(
                        request.path() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8),
                        RecordJson.JSON.createObjectNode().put("status", patch));
                if (patched.status() / 100 != 2) {
                    err.println("authstream: created " + id + ", but " + refusal("setting its status", patched));
                    return 1;
                }
                state = patched.body() == null
                        ? patch
                        : patched.body().path("status").asText(patch);
            }
            out.println("created " + streamKind.label + " " + id + " (" + name + "), status " + state + ", to "
                    + target(request));
            if (request.setting() != null) {
                out.println("set on the gateway (shown this once, stored nowhere else):");
                out.println(request.setting() + "='" + request.settingValue() + "'");
            }
            return 0;
        }

        private static String target(StreamRequest.Prepared request) {
            JsonNode body = request.body();
            if (body.has("sink")) {
                return body.path("sink").path("httpEndpoint").asText();
            }
            JsonNode configuration = body.path("destination").path("configuration");
            return configuration.has("webhook_endpoint")
                    ? configuration.path("webhook_endpoint").asText()
                    : "EventBridge " + configuration.path("aws_account_id").asText() + " "
                            + configuration.path("aws_region").asText();
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Lists the tenant's log streams and event streams with their status, then when the gateway last "
                        + "received an event from each source (read from the newest records of auth.events.raw)."
            })
    static final class Status implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @ParentCommand
        Auth0Commands auth0;

        @Mixin
        Connection connection;

        @Option(
                names = "--last-records",
                paramLabel = "N",
                defaultValue = "1000",
                description = "How many of the newest records per partition of auth.events.raw to look at "
                        + "(default ${DEFAULT-VALUE}).")
        int lastRecords;

        @Option(names = "--no-kafka", description = "Only the tenant's streams, not the last events.")
        boolean noKafka;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Auth0ManagementClient client = auth0.client();
            Instant now = Instant.now();
            Map<String, Instant> last = Map.of();
            if (!noKafka) {
                try {
                    last = new LastEvents(connection).bySource(lastRecords);
                } catch (KafkaException e) {
                    err.println("authstream: cannot read auth.events.raw for the last events (" + e.getMessage()
                            + "); --no-kafka lists the streams only");
                    return 1;
                }
            }
            int status = 0;
            Auth0ManagementClient.Response logs = client.get("log-streams");
            if (logs.status() / 100 == 2 && logs.body() != null) {
                for (JsonNode stream : logs.body()) {
                    boolean webhook = stream.path("type").asText().equals("http");
                    out.println(String.join(
                            "\t",
                            "log-stream",
                            stream.path("id").asText(),
                            stream.path("name").asText(),
                            stream.path("status").asText(),
                            stream.path("type").asText() + " "
                                    + stream.path("sink").path("httpEndpoint").asText(""),
                            webhook ? lastEvent(last, LOG_STREAM_SOURCE, now) : "-"));
                }
            } else {
                err.println("authstream: " + refusal("listing log streams", logs));
                status = 1;
            }
            Auth0ManagementClient.Response events = client.get("event-streams");
            if (events.status() / 100 == 2 && events.body() != null) {
                // A JSON array, or (paginated) {"eventStreams": [...], "next": ...}.
                JsonNode list =
                        events.body().isArray() ? events.body() : events.body().path("eventStreams");
                for (JsonNode stream : list) {
                    JsonNode destination = stream.path("destination");
                    JsonNode configuration = destination.path("configuration");
                    boolean webhook = destination.path("type").asText().equals("webhook");
                    out.println(String.join(
                            "\t",
                            "event-stream",
                            stream.path("id").asText(),
                            stream.path("name").asText(),
                            stream.path("status").asText(),
                            destination.path("type").asText() + " "
                                    + configuration
                                            .path("webhook_endpoint")
                                            .asText(configuration
                                                    .path("aws_region")
                                                    .asText("")),
                            // An EventBridge destination reaches the gateway through a rule and an API destination.
                            lastEvent(last, webhook ? EVENT_STREAM_SOURCE : EVENTBRIDGE_SOURCE, now)));
                }
            } else {
                err.println("authstream: " + refusal("listing event streams", events));
                status = 1;
            }
            if (!noKafka) {
                if (last.isEmpty()) {
                    out.println("gateway: no event in the newest " + lastRecords + " records per partition of "
                            + "auth.events.raw");
                }
                last.forEach((source, at) -> out.println("last event from " + source + "\t" + ago(at, now)));
            }
            return status;
        }

        /** What the gateway last received on the route of a stream, for its row. */
        private String lastEvent(Map<String, Instant> last, String source, Instant now) {
            if (noKafka) {
                return "-";
            }
            Instant at = last.get(source);
            return at == null
                    ? "no event in the newest " + lastRecords + " per partition"
                    : "last event " + ago(at, now);
        }

        private static String ago(Instant at, Instant now) {
            Duration ago = Duration.between(at, now);
            return at + "\t(" + ReplayProgress.format(ago.isNegative() ? Duration.ZERO : ago) + " ago)";
        }
    }

    @Command(
            name = "disconnect",
            mixinStandardHelpOptions = true,
            description = "Deletes a log stream (lst_...) or an event stream (est_...) of the tenant.")
    static final class Disconnect implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @ParentCommand
        Auth0Commands auth0;

        @Parameters(paramLabel = "ID", description = "The stream's id, as auth0 status lists it.")
        String id;

        @Override
        public Integer call() {
            String path = (id.startsWith("est_") ? "event-streams/" : "log-streams/")
                    + URLEncoder.encode(id, StandardCharsets.UTF_8);
            Auth0ManagementClient.Response deleted = auth0.client().delete(path);
            if (deleted.status() / 100 != 2) {
                spec.commandLine().getErr().println("authstream: " + refusal("deleting " + id, deleted));
                return 1;
            }
            spec.commandLine()
                    .getOut()
                    .println("deleted " + id + "; remove its credential from the gateway's settings too");
            return 0;
        }
    }
}
