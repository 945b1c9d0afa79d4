package io.authstream.streams.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.streams.http.StreamsHttpServer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The dashboard's routes on the Streams app's real HTTP server, before Kafka Streams is attached. */
class DashboardRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Dashboard dashboard = new Dashboard(new DashboardSettings(3, Optional.empty()));
    private StreamsHttpServer server;

    @BeforeEach
    void start() {
        Clock clock = Clock.fixed(Instant.parse("2026-02-10T12:00:00Z"), ZoneOffset.UTC);
        server = new StreamsHttpServer(clock).start("127.0.0.1", 0, new DashboardRoutes(dashboard, clock)::addTo);
    }

    @AfterEach
    void stop() {
        server.close();
        dashboard.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void thePageAndItsAssetsComeFromTheJarWithAPolicyThatKeepsThemThere() throws Exception {
        HttpResponse<String> redirect = get("/dashboard");
        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(redirect.headers().firstValue("Location")).contains("/dashboard/");

        HttpResponse<String> page = get("/dashboard/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .contains(DashboardRoutes.CONTENT_SECURITY_POLICY);
        assertThat(page.body())
                .contains("<a href=\"https://db-ip.com\">IP Geolocation by DB-IP</a>")
                .contains("src=\"dashboard.js\"")
                .contains("href=\"dashboard.css\"");
        for (String asset : DashboardRoutes.ASSETS.keySet()) {
            HttpResponse<String> file = get("/dashboard/" + asset);
            assertThat(file.statusCode()).as(asset).isEqualTo(200);
            assertThat(file.headers().firstValue("Content-Type").orElseThrow())
                    .isEqualTo(DashboardRoutes.ASSETS.get(asset));
            // Nothing the browser would load from elsewhere: the only absolute URL is DB-IP's link.
            assertThat(Pattern.compile("https?://(?!db-ip\\.com\")")
                            .matcher(file.body())
                            .find())
                    .as(asset + " names no other site")
                    .isFalse();
        }
        assertThat(get("/dashboard/logback.xml").statusCode()).isEqualTo(404);
        assertThat(get("/dashboard/..%2Flogback.xml").statusCode()).isEqualTo(404);
    }

    @Test
    void alertsAreListedNewestFirstAndStreamedAsTheyArrive() throws Exception {
        dashboard.alerts().add(RecentAlertsTest.alert("first", "2026-02-10T08:00:00Z"));
        JsonNode listed = JSON.readTree(get("/alerts").body());
        assertThat(listed.get("count").asInt()).isEqualTo(1);
        assertThat(listed.get("alerts").get(0).get("alertId").asText()).isEqualTo("first");
        assertThat(listed.get("alerts").get(0).get("evidence").asInt()).isEqualTo(12);

        HttpResponse<InputStream> stream = HTTP.send(
                HttpRequest.newBuilder(URI.create(server.url() + "/alerts/stream"))
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).startsWith(":"); // the opening comment
        CompletableFuture<String> event = CompletableFuture.supplyAsync(() -> {
            try {
                StringBuilder text = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    text.append(line).append('\n');
                    if (line.startsWith("data:")) {
                        break;
                    }
                }
                return text.toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (dashboard.alerts().listeners() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(dashboard.alerts().listeners()).isEqualTo(1);
        dashboard.alerts().add(RecentAlertsTest.alert("second", "2026-02-10T08:05:00Z"));
        String received = event.get(5, TimeUnit.SECONDS);
        assertThat(received)
                .contains("event: alert")
                .contains("\"alertId\":\"second\"")
                .contains("id: 0-0");
        stream.body().close();
        assertThat(JSON.readTree(get("/alerts").body()).get("alerts"))
                .extracting(a -> a.get("alertId").asText())
                .containsExactly("second", "first");
    }

    @Test
    void deadLettersAreCountedByReasonAndSource() throws Exception {
        dashboard.deadLetters().count("invalid_json", "auth0.log-stream");
        dashboard.deadLetters().count("invalid_json", "auth0.log-stream");
        dashboard.deadLetters().count("refused_input", "streams-app");
        JsonNode answer = JSON.readTree(get("/dead-letters").body());
        assertThat(answer.get("topic").asText()).isEqualTo("auth.events.deadletter");
        assertThat(answer.get("total").asLong()).isEqualTo(3);
        assertThat(answer.get("byReason").get("invalid_json").asLong()).isEqualTo(2);
        assertThat(answer.get("bySource").get("streams-app").asLong()).isEqualTo(1);
        assertThat(answer.get("caughtUp").asBoolean()).isFalse(); // no topic read yet
        assertThat(answer.get("awaiting").asLong()).isEqualTo(3);
        assertThat(answer.get("redriven").asLong()).isZero();
    }

    @Test
    void deadLettersARedriveReSentNoLongerAwaitUntilTheirMarkIsTakenBack() throws Exception {
        dashboard.deadLetters().count("invalid_json", "auth0.log-stream");
        dashboard.deadLetters().count("invalid_json", "auth0.log-stream");
        dashboard.deadLetters().count("refused_input", "streams-app");
        dashboard.deadLetters().redriven("0-0", "invalid_json");
        dashboard.deadLetters().redriven("0-0", "invalid_json"); // a second redrive's mark of the same one
        dashboard.deadLetters().redriven("0-7", "unknown_reason"); // a mark that outlived its dead letter

        JsonNode answer = JSON.readTree(get("/dead-letters").body());
        assertThat(answer.get("total").asLong()).isEqualTo(3);
        assertThat(answer.get("awaiting").asLong()).isEqualTo(2);
        assertThat(answer.get("redriven").asLong()).isEqualTo(1);
        assertThat(answer.get("awaitingByReason").get("invalid_json").asLong()).isEqualTo(1);
        assertThat(answer.get("awaitingByReason").get("refused_input").asLong()).isEqualTo(1);

        dashboard.deadLetters().unmarked("0-0");
        answer = JSON.readTree(get("/dead-letters").body());
        assertThat(answer.get("awaiting").asLong()).isEqualTo(3);
        assertThat(answer.get("awaitingByReason").get("invalid_json").asLong()).isEqualTo(2);
    }

    @Test
    void theMixRefusesBadQueriesAndWaitsForKafkaStreams() throws Exception {
        HttpResponse<String> bad = get("/analytics/sign_ins/mix?by=country");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("by must be one of [client, connection, provider], got 'country'");
        HttpResponse<String> early = get("/analytics/sign_ins/mix?by=provider");
        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(early.headers().firstValue("Retry-After")).contains("1");
    }
}
