package io.authstream.localstack;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.Severity;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The dashboard in Debian's headless chromium, driven by playwright-core (local-stack/browser/),
 * over the local stack's gateway and Streams app: every figure the page shows equals the API's
 * answer for the same data, an alert published while the page is open appears without a reload,
 * and a screenshot is kept in target/dashboard-screenshots/. Skipped with
 * {@code -Ddashboard.browser.skip=true}.
 */
@ExtendWith(StackExtension.class)
class DashboardBrowserIT {

    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant B = Instant.parse("2026-03-05T08:00:00Z");
    private static final Instant DAY = Instant.parse("2026-03-05T00:00:00Z");

    private final TestStack stack;
    private final String token = "Bearer " + UUID.randomUUID();
    private int logIds;

    DashboardBrowserIT(TestStack stack) {
        this.stack = stack;
    }

    private ObjectNode log(String type, String userId, String strategy, String client, String ip, Instant at) {
        ObjectNode data = JSON.createObjectNode()
                .put("date", at.toString())
                .put("type", type)
                .put("ip", ip)
                .put("connection", strategy.equals("auth0") ? "Username-Password-Authentication" : strategy)
                .put("strategy", strategy)
                .put("client_name", client)
                .put("client_id", "cl-" + client)
                .put("user_id", userId)
                .put("user_name", userId.replace('|', '-') + "@example.com");
        ObjectNode record = JSON.createObjectNode().put("log_id", "9002026030508" + String.format("%06d", ++logIds));
        record.set("data", data);
        return record;
    }

    @Test
    void thePageShowsTheApisFiguresAndANewAlertWithoutAReload() throws Exception {
        Assumptions.assumeFalse(Boolean.getBoolean("dashboard.browser.skip"), "-Ddashboard.browser.skip=true");
        assertThat(Files.isExecutable(CHROMIUM))
                .as("DashboardBrowserIT needs Debian's chromium at " + CHROMIUM
                        + ": apt-get update && apt-get install -y --no-install-recommends chromium"
                        + " (.ci/run does this), or skip it with -Ddashboard.browser.skip=true")
                .isTrue();
        Path script = Path.of("browser", "dashboard-check.mjs").toAbsolutePath();
        assertThat(Files.isDirectory(script.resolveSibling("node_modules").resolve("playwright-core")))
                .as("playwright-core is missing in " + script.getParent()
                        + ": the build installs it with npm ci at pre-integration-test")
                .isTrue();
        stack.createTopics(Topics.ALL, 3);

        List<ObjectNode> script1 = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // brute force: 12 wrong passwords for one account from one IP
            script1.add(log("fp", "auth0|victim", "auth0", "Web", "203.0.113.10", B.plusSeconds(i * 20L)));
        }
        for (int n = 0; n < 4; n++) {
            script1.add(log("s", "auth0|web" + n, "auth0", "Web", "192.0.2." + (10 + n), B.plusSeconds(600 + n * 60L)));
        }
        for (int n = 0; n < 2; n++) {
            script1.add(log(
                    "s",
                    "google-oauth2|m" + n,
                    "google-oauth2",
                    "Mobile",
                    "192.0.2." + (20 + n),
                    B.plus(Duration.ofHours(2)).plusSeconds(n * 60L)));
        }
        // located by the Streams app through DB-IP
        script1.add(log("s", "auth0|roamer", "auth0", "Web", "80.133.10.1", B.plus(Duration.ofHours(3))));

        Map<String, String> env = TestEnvironments.logStreamPipeline("dashboard-it", token);
        LocalEndpoints endpoints = TestEnvironments.endpoints(stack);
        TestEnvironments.startStreamsAtEndOfRawTopic(stack, env);
        try (LocalGateway gateway =
                LocalGateway.startIfConfigured(env, endpoints).orElseThrow()) {
            env.put("DASHBOARD_GATEWAY_METRICS_URL", gateway.url() + "/metrics");
            try (LocalStreamsApp streams =
                    LocalStreamsApp.start(env, endpoints, Files.createTempDirectory("dashboard-it"))) {
                ArrayNode batch = JSON.createArrayNode();
                script1.forEach(batch::add);
                post(gateway, JSON.writeValueAsString(batch));
                // One line that is no JSON: dead-lettered by the gateway (malformed_json).
                post(
                        gateway,
                        JSON.writeValueAsString(log("s", "auth0|x", "auth0", "Web", "192.0.2.9", B))
                                + "\n{\"log_id\": \n");

                String base = streams.httpUrl();
                String day = "&from=" + DAY + "&to=" + DAY;
                await(base, "/analytics/sign_ins?granularity=day" + day, a -> count(a) == 8);
                await(
                        base,
                        "/analytics/sign_ins/mix?by=client&granularity=day&from=" + DAY.minus(Duration.ofDays(6))
                                + "&to=" + DAY,
                        a -> a.get("values").path("Web").asLong() == 6);
                await(base, "/analytics/active_users?granularity=day" + day, a -> count(a) == 8);
                await(
                        base,
                        "/alerts",
                        a -> a.get("caughtUp").asBoolean()
                                && a.get("alerts").findValuesAsText("ruleId").contains("brute-force"));
                await(
                        base,
                        "/dead-letters",
                        a -> a.get("caughtUp").asBoolean() && a.get("total").asLong() >= 1);
                await(
                        base,
                        "/pipeline",
                        a -> a.get("streams").get("state").asText().equals("RUNNING"));

                Path screenshot = Path.of("target", "dashboard-screenshots", "dashboard.png")
                        .toAbsolutePath();
                Files.createDirectories(screenshot.getParent());
                Files.deleteIfExists(screenshot);
                Process node = new ProcessBuilder(
                                "node", script.toString(), base + "/dashboard/?day=2026-03-05", screenshot.toString())
                        .directory(script.getParent().toFile())
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
                BlockingQueue<String> out = new LinkedBlockingQueue<>();
                Thread reader = new Thread(() -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(node.getInputStream(), UTF_8))) {
                        lines.lines().forEach(out::add);
                    } catch (java.io.IOException e) {
                        out.add("FAILED reading the script's output: " + e);
                    }
                    out.add("EOF");
                });
                reader.start();
                List<String> said = new ArrayList<>();
                try (Writer in = new java.io.OutputStreamWriter(node.getOutputStream(), UTF_8)) {
                    String valuesLine = next(out, said, "VALUES ");
                    next(out, said, "READY");
                    Map<String, String> page = new TreeMap<>();
                    JSON.readTree(valuesLine.substring("VALUES ".length()))
                            .properties()
                            .forEach(e -> page.put(e.getKey(), e.getValue().asText()));

                    Map<String, String> expected = expectedFigures(base);
                    Map<String, String> shown = new TreeMap<>(page);
                    shown.keySet().removeIf(k -> k.startsWith("lag.") || k.startsWith("gateway.status."));
                    assertThat(shown).as("the page's figures against the API's").isEqualTo(expected);
                    assertThat(shown)
                            .containsEntry("sign_ins.day." + DAY, "8")
                            .containsEntry("active_users.day", "8")
                            .containsEntry("mix.client.Web", "6")
                            .containsEntry("mix.client.Mobile", "2")
                            .containsEntry("pipeline.streams.state", "RUNNING");
                    assertThat(page).containsKey("lag." + env.get("STREAMS_APPLICATION_ID"));
                    assertThat(Long.parseLong(page.getOrDefault("gateway.status.200", "0")))
                            .as("the gateway's 200 answers")
                            .isGreaterThanOrEqualTo(2);

                    String id = "dashboard-it-" + UUID.randomUUID();
                    publishAlert(id);
                    in.write("ALERT " + id + "\n");
                    in.flush();
                    assertThat(next(out, said, "SHOWN ")).isEqualTo("SHOWN " + id + " first=" + id);
                    next(out, said, "DONE");
                } finally {
                    if (!node.waitFor(30, TimeUnit.SECONDS)) {
                        node.destroyForcibly();
                    }
                }
                assertThat(said)
                        .as("requests to other origins, page errors")
                        .noneMatch(l -> l.startsWith("EXTERNAL") || l.startsWith("CONSOLE"));
                assertThat(node.exitValue()).as(String.join("\n", said)).isZero();
                assertThat(Files.size(screenshot)).isGreaterThan(10_000);
            }
        }
    }

    /** The figures the page should show, each computed from the API as the page's labels say. */
    private Map<String, String> expectedFigures(String base) throws Exception {
        Map<String, String> figures = new TreeMap<>();
        for (String span : List.of("day", "7d", "30d")) {
            JsonNode rollups = getJson(
                            base, "/analytics/active_users?granularity=" + span + "&from=" + DAY + "&to=" + DAY)
                    .get("rollups");
            figures.put(
                    "active_users." + span,
                    rollups.isEmpty()
                            ? "0"
                            : Long.toString(Math.round(
                                    rollups.get(rollups.size() - 1).get("value").asDouble())));
        }
        series(base, figures, "hour", DAY, DAY.plus(Duration.ofHours(23)));
        series(base, figures, "day", DAY.minus(Duration.ofDays(6)), DAY);
        for (String by : List.of("provider", "connection", "client")) {
            getJson(
                            base,
                            "/analytics/sign_ins/mix?by=" + by + "&granularity=day&from="
                                    + DAY.minus(Duration.ofDays(6)) + "&to=" + DAY)
                    .get("values")
                    .properties()
                    .forEach(e -> figures.put(
                            "mix." + by + "." + e.getKey(), e.getValue().asText()));
        }
        figures.put("alerts.count", getJson(base, "/alerts").get("count").asText());
        JsonNode deadLetters = getJson(base, "/dead-letters");
        figures.put("dead_letters.total", deadLetters.get("total").asText());
        figures.put("dead_letters.awaiting", deadLetters.get("awaiting").asText());
        figures.put("dead_letters.redriven", deadLetters.get("redriven").asText());
        deadLetters
                .get("awaitingByReason")
                .properties()
                .forEach(e -> figures.put(
                        "dead_letters.awaiting." + e.getKey(), e.getValue().asText()));
        deadLetters
                .get("byReason")
                .properties()
                .forEach(e -> figures.put(
                        "dead_letters.reason." + e.getKey(), e.getValue().asText()));
        deadLetters
                .get("bySource")
                .properties()
                .forEach(e -> figures.put(
                        "dead_letters.source." + e.getKey(), e.getValue().asText()));
        figures.put(
                "pipeline.streams.state",
                getJson(base, "/pipeline").get("streams").get("state").asText());
        return figures;
    }

    private void series(String base, Map<String, String> figures, String granularity, Instant from, Instant to)
            throws Exception {
        String range = "?granularity=" + granularity + "&from=" + from + "&to=" + to;
        Map<String, JsonNode> signIns = byWindow(getJson(base, "/analytics/sign_ins" + range));
        Map<String, JsonNode> rates = byWindow(getJson(base, "/analytics/failed_login_rate" + range));
        java.util.Set<String> windows = new java.util.TreeSet<>(signIns.keySet());
        windows.addAll(rates.keySet());
        for (String start : windows) {
            String suffix = granularity + "." + start;
            figures.put(
                    "sign_ins." + suffix,
                    signIns.containsKey(start) ? signIns.get(start).get("count").asText() : "0");
            JsonNode rate = rates.get(start);
            figures.put(
                    "failed_login_rate." + suffix,
                    rate == null
                            ? "–"
                            : String.format(
                                    Locale.ROOT, "%.1f%%", rate.get("value").asDouble() * 100));
            figures.put(
                    "attempts." + suffix, rate == null ? "–" : rate.get("total").asText());
        }
    }

    private static Map<String, JsonNode> byWindow(JsonNode answer) {
        Map<String, JsonNode> windows = new TreeMap<>();
        answer.get("rollups").forEach(r -> windows.put(r.get("windowStart").asText(), r));
        return windows;
    }

    private void publishAlert(String id) {
        SecurityAlert alert = SecurityAlert.newBuilder()
                .setAlertId(id)
                .setRuleId("impossible-travel")
                .setSeverity(Severity.HIGH)
                .setUserId("auth0|roamer")
                .setIp("153.150.0.1")
                .setWindowStart(B)
                .setWindowEnd(B.plusSeconds(1500))
                .setDetectedAt(Instant.now())
                .setSummary("auth0|roamer travelled DE->JP at 22 000 km/h")
                .setEvidence(List.of("a", "b"))
                .setAttributes(Map.of("countries", "DE->JP"))
                .build();
        AvroSerializer<SecurityAlert> serializer = new AvroSerializer<>(stack.serdeConfig(), false);
        stack.produce(Topics.AUTH_SECURITY_ALERTS.name(), serializer::serialize, List.of(alert));
    }

    private static String next(BlockingQueue<String> out, List<String> said, String prefix) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            String line = out.poll(1, TimeUnit.SECONDS);
            if (line == null) {
                continue;
            }
            said.add(line);
            if (line.startsWith(prefix)) {
                return line;
            }
            if (line.startsWith("FAILED") || line.equals("EOF")) {
                throw new AssertionError(
                        "the browser script stopped before " + prefix.trim() + ":\n" + String.join("\n", said));
            }
        }
        throw new AssertionError(
                "no " + prefix.trim() + " from the browser script within 120 s:\n" + String.join("\n", said));
    }

    private void post(LocalGateway gateway, String body) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.LOG_STREAM_PATH))
                        .header("Authorization", token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private static long count(JsonNode answer) {
        JsonNode rollups = answer.get("rollups");
        return rollups.isEmpty()
                ? -1
                : Math.round(rollups.get(rollups.size() - 1).get("value").asDouble());
    }

    private static JsonNode getJson(String base, String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private static void await(String base, String path, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = HTTP.send(
                    HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200) {
                last = JSON.readTree(answer.body());
                if (done.test(last)) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError(path + " did not answer as expected within 90 s; last: " + last);
    }
}
