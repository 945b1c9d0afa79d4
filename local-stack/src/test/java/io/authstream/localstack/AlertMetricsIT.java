package io.authstream.localstack;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.authstream.embedded.FreePorts;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.schemas.Topics;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alert rules read series the apps really export: the local stack's gateway, Streams app and
 * Connect worker (the DynamoDB sink, the Auth0 logs source and the provisioning sink, Auth0 being
 * WireMock) run on the real broker, registry and DynamoDB Local; after a Log Streams body with an
 * event and a dead letter went through, their /metrics endpoints (the gateway's, the Streams
 * app's, the worker's connect-metrics reporter, the provisioning sink's) are scraped, and every
 * selector of every rule in deploy/prometheus/alerts.yml is checked against what they hold: the
 * metric exists, its label matchers ({@code =}, {@code =~}) match a series, and the labels it is
 * grouped by are on it. Only {@code up} (Prometheus makes it) and the rules' own recorded series
 * are not looked for. The scrapes are kept in target/alert-metrics/.
 */
@ExtendWith(StackExtension.class)
// Apps and workers opened in try-with-resources run for the block without being referred to.
@SuppressWarnings("try")
class AlertMetricsIT {

    @RegisterExtension
    static WireMockExtension auth0 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final Path RULES = Path.of("..", "deploy", "prometheus", "alerts.yml");
    /** Series Prometheus makes itself, and labels it adds to every scraped one. */
    private static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? \\S+( \\d+)?");

    private final TestStack stack;
    private final String logStream = "Bearer alert-metrics-" + UUID.randomUUID();
    private final String clientSecret = "alert-metrics-secret-" + UUID.randomUUID();
    private final String accessToken = "eyJ.alert-metrics-" + UUID.randomUUID() + ".sig";

    AlertMetricsIT(TestStack stack) {
        this.stack = stack;
    }

    /** One sample: its metric name and labels. */
    record Sample(String name, Map<String, String> labels) {}

    @Test
    void everySeriesTheAlertRulesReadIsExportedByTheRunningApps(@TempDir Path data) throws Exception {
        AlertRules rules = AlertRules.read(RULES);
        List<AlertRules.Selector> selectors = rules.selectors();
        assertThat(selectors.stream().map(AlertRules.Selector::metric))
                .as("the rules' metrics as read from their expressions")
                .contains(
                        "authstream_gateway_dead_letters_total",
                        "authstream_streams_end_to_end_latency_seconds_bucket",
                        "kafka_consumer_fetch_manager_records_lag",
                        "kafka_connect_consumer_fetch_manager_records_lag",
                        "authstream_streams_state",
                        "authstream_gateway_requests_total",
                        "authstream_gateway_last_event_timestamp_seconds",
                        "kafka_connect_plugins_auth0_last_log_timestamp_seconds",
                        "auth0_user_creation_total",
                        "auth0_token_refresh_failures_total",
                        "auth0_api_errors_total",
                        "kafka_connect_worker_connector_failed_task_count",
                        "up")
                .doesNotContain("sum", "rate", "by", "job", "le", "vector", "time", "label_replace", "source");
        assertThat(rules.expressions.keySet())
                .as("every rule reads at least one series")
                .allSatisfy(rule ->
                        assertThat(selectors).anyMatch(s -> s.rule().equals(rule) || rule.startsWith("record ")));

        stack.createTopics(Topics.ALL, 3);
        TestSecrets.register(clientSecret);
        TestSecrets.register(accessToken);
        auth0.stubFor(post("/oauth/token")
                .withRequestBody(matchingJsonPath("$.client_secret", equalTo(clientSecret)))
                .willReturn(okJson(
                        "{\"access_token\":\"" + accessToken + "\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
        auth0.stubFor(get(urlPathEqualTo("/api/v2/logs")).willReturn(okJson("[]")));

        Map<String, String> env = TestEnvironments.logStreamPipeline("alert-metrics", logStream);
        env.put("AUTH0_DOMAIN", auth0.baseUrl());
        env.put("AUTH0_CLIENT_ID", "m2m-alert-metrics");
        env.put("AUTH0_CLIENT_SECRET", clientSecret);
        env.put("AUTH0_PROVISIONING_ENABLED", "true");
        int connectMetrics = FreePorts.next();
        int provisioningMetrics = FreePorts.next();
        while (provisioningMetrics == connectMetrics) {
            provisioningMetrics = FreePorts.next();
        }
        env.put("CONNECT_METRICS_PORT", Integer.toString(connectMetrics));
        env.put("AUTH0_PROVISIONING_METRICS_PORT", Integer.toString(provisioningMetrics));
        LocalEndpoints endpoints = TestEnvironments.endpoints(stack);

        try (LocalGateway gateway =
                        LocalGateway.startIfConfigured(env, endpoints).orElseThrow();
                LocalStreamsApp streams = LocalStreamsApp.start(env, endpoints, data.resolve("streams"));
                LocalConnect connect = LocalConnect.start(
                        env, endpoints, TestStack.uniqueTopic("alert-connect"), data.resolve("connect-secrets"))) {
            Map<String, URI> endpointsScraped = new LinkedHashMap<>();
            endpointsScraped.put("gateway", URI.create(gateway.url() + "/metrics"));
            endpointsScraped.put("streams-app", URI.create(streams.httpUrl() + "/metrics"));
            endpointsScraped.put("connect", connect.metricsUrl().orElseThrow());
            endpointsScraped.put(
                    "provisioning", connect.provisioningMetricsUrl().orElseThrow());
            assertThat(endpointsScraped.get("connect").getPort()).isEqualTo(connectMetrics);
            assertThat(endpointsScraped.get("provisioning").getPort()).isEqualTo(provisioningMetrics);

            // An event the pipeline takes, and one the gateway dead-letters (its date is not a time).
            String user = "auth0|alert-metrics-" + UUID.randomUUID();
            String body = "[{\"log_id\":\"9004" + System.nanoTime() + "\",\"data\":{\"date\":\"" + Instant.now()
                    + "\",\"type\":\"s\",\"user_id\":\"" + user
                    + "\",\"connection\":\"Username-Password-Authentication\"}},"
                    + "{\"log_id\":\"9005" + System.nanoTime()
                    + "\",\"data\":{\"date\":\"yesterday\",\"type\":\"s\"}}]";
            HttpResponse<String> posted = HTTP.send(
                    HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.LOG_STREAM_PATH))
                            .header("Authorization", logStream)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
            assertThat(posted.body()).contains("\"accepted\":1").contains("\"deadLettered\":1");

            // Consumer lag and task metrics appear once partitions are assigned and fetched.
            Map<String, String> scrapes = new LinkedHashMap<>();
            List<String> problems = List.of("not scraped yet");
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (!problems.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(problems.equals(List.of("not scraped yet")) ? 0 : 1_000);
                for (Map.Entry<String, URI> endpoint : endpointsScraped.entrySet()) {
                    scrapes.put(endpoint.getKey(), scrape(endpoint.getValue()));
                }
                problems = problems(selectors, rules.recorded, samples(scrapes.values()));
            }
            Path kept = Path.of("target", "alert-metrics");
            Files.createDirectories(kept);
            for (Map.Entry<String, String> scrape : scrapes.entrySet()) {
                Files.writeString(kept.resolve(scrape.getKey() + ".prom"), scrape.getValue());
            }
            assertThat(problems)
                    .as("series the rules read that the apps do not export (scrapes kept in %s)", kept)
                    .isEmpty();
        }
    }

    private static String scrape(URI url) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url.toString()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .as("Prometheus 3 refuses a scrape without a text format Content-Type: " + url)
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        return response.body();
    }

    /** Every sample line of {@code scrapes}, by metric name. */
    static Map<String, List<Sample>> samples(Iterable<String> scrapes) {
        Map<String, List<Sample>> samples = new TreeMap<>();
        for (String scrape : scrapes) {
            for (String line : scrape.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                java.util.regex.Matcher sample = SAMPLE.matcher(line);
                assertThat(sample.matches()).as("a sample line: " + line).isTrue();
                samples.computeIfAbsent(sample.group(1), n -> new ArrayList<>())
                        .add(new Sample(sample.group(1), labels(sample.group(3) == null ? "" : sample.group(3))));
            }
        }
        return samples;
    }

    /** {@code a="1",b="x \"y\""} → its labels, values unescaped. */
    static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            String name = text.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            while (text.charAt(j) != '"') {
                if (text.charAt(j) == '\\') {
                    j++;
                    value.append(text.charAt(j) == 'n' ? '\n' : text.charAt(j));
                } else {
                    value.append(text.charAt(j));
                }
                j++;
            }
            labels.put(name, value.toString());
            i = j + 1;
            if (i < text.length() && text.charAt(i) == ',') {
                i++;
            }
        }
        return labels;
    }

    /** What the rules read that {@code samples} do not hold, one line each. */
    static List<String> problems(
            List<AlertRules.Selector> selectors, Set<String> recorded, Map<String, List<Sample>> samples) {
        Set<String> problems = new LinkedHashSet<>();
        for (AlertRules.Selector selector : selectors) {
            if (PROMETHEUS_SERIES.contains(selector.metric()) || recorded.contains(selector.metric())) {
                continue;
            }
            List<Sample> series = samples.getOrDefault(selector.metric(), List.of());
            String where = selector.rule() + ": " + selector.metric();
            if (series.isEmpty()) {
                problems.add(where + " is not exported");
                continue;
            }
            for (AlertRules.Matcher matcher : selector.matchers()) {
                Optional<Pattern> regex =
                        matcher.op().equals("=~") ? Optional.of(Pattern.compile(matcher.value())) : Optional.empty();
                boolean matched = switch (matcher.op()) {
                    case "=" ->
                        series.stream()
                                .anyMatch(s -> matcher.value().equals(s.labels().get(matcher.label())));
                    case "=~" ->
                        series.stream()
                                .anyMatch(s -> regex.get()
                                        .matcher(s.labels().getOrDefault(matcher.label(), ""))
                                        .matches());
                    // A negative matcher selects whatever else there is: the label must at least exist.
                    default -> series.stream().anyMatch(s -> s.labels().containsKey(matcher.label()));
                };
                if (!matched) {
                    problems.add(where + " has no series with " + matcher.label() + matcher.op() + "\""
                            + matcher.value() + "\" (values: "
                            + series.stream()
                                    .map(s -> s.labels().get(matcher.label()))
                                    .distinct()
                                    .limit(10)
                                    .toList() + ")");
                }
            }
            for (String label : selector.groupedBy()) {
                if (!TARGET_LABELS.contains(label)
                        && series.stream().noneMatch(s -> s.labels().containsKey(label))) {
                    problems.add(where + " has no label " + label + " to group by");
                }
            }
        }
        return List.copyOf(problems);
    }
}
