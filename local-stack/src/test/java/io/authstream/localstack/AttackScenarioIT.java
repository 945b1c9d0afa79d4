package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scripted attack and some ordinary traffic, posted as Auth0 Log Streams batches through the
 * gateway in shuffled order, yield exactly the expected alerts on auth.security.alerts and the
 * expected rollups on auth.analytics (and over HTTP). The Streams app starts at the end of the
 * raw topic, so the events other test classes left there play no part.
 */
@ExtendWith(StackExtension.class)
class AttackScenarioIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant B = Instant.parse("2026-02-10T08:00:00Z");
    private static final Instant DAY = Instant.parse("2026-02-10T00:00:00Z");

    private final TestStack stack;
    private final String token = "Bearer " + UUID.randomUUID();
    private int logIds;

    AttackScenarioIT(TestStack stack) {
        this.stack = stack;
    }

    private ObjectNode log(String type, String userId, String userName, String ip, Instant at) {
        ObjectNode data = JSON.createObjectNode()
                .put("date", at.toString())
                .put("type", type)
                .put("ip", ip)
                .put("connection", "Username-Password-Authentication")
                .put("strategy", "auth0")
                .put("client_name", "Web")
                .put("client_id", "aI61p8I8aFjmYRliLWgvM9ev97kCCNDB");
        if (userId != null) {
            data.put("user_id", userId);
        }
        if (userName != null) {
            data.put("user_name", userName);
        }
        ObjectNode record = JSON.createObjectNode().put("log_id", "9002026021008" + String.format("%06d", ++logIds));
        record.set("data", data);
        return record;
    }

    private ObjectNode located(ObjectNode record, String country, String city, double latitude, double longitude) {
        ((ObjectNode) record.get("data"))
                .set(
                        "location_info",
                        JSON.createObjectNode()
                                .put("country_code", country)
                                .put("city_name", city)
                                .put("latitude", latitude)
                                .put("longitude", longitude));
        return record;
    }

    @Test
    void aScriptedAttackYieldsExactlyTheExpectedAlertsAndRollups() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        List<ObjectNode> script = new ArrayList<>();
        for (int i = 0; i < 12; i++) { // brute force: 12 wrong passwords for one account from one IP
            script.add(log("fp", "auth0|victim", "victim@example.com", "203.0.113.10", B.plusSeconds(i * 30L)));
        }
        for (int k = 0; k < 25; k++) { // credential stuffing: 25 unknown accounts from one IP in 4 min
            script.add(log("fu", null, "user" + k + "@example.com", "198.51.100.20", B.plusSeconds(60 + k * 10L)));
        }
        script.add(located(
                log("s", "auth0|traveler", "traveler@example.com", "81.2.69.143", B.plus(Duration.ofMinutes(20))),
                "GB",
                "London",
                51.5142,
                -0.0931));
        script.add(located(
                log("s", "auth0|traveler", "traveler@example.com", "8.8.8.8", B.plus(Duration.ofMinutes(50))),
                "US",
                "New York",
                40.7128,
                -74.0060));
        // No location_info: the Streams app locates these by IP (DB-IP: Deutsche Telekom in DE, NTT in JP).
        script.add(log("s", "auth0|roamer", "roamer@example.com", "80.133.10.1", B.plus(Duration.ofMinutes(21))));
        script.add(log("s", "auth0|roamer", "roamer@example.com", "153.150.0.1", B.plus(Duration.ofMinutes(46))));
        script.add(log("pwd_leak", null, "jane@example.com", "2001:db8::1", B.plus(Duration.ofMinutes(25))));
        for (int n = 0; n < 5; n++) { // ordinary sign-ins
            script.add(log(
                    "s",
                    "auth0|normal" + n,
                    "normal" + n + "@example.com",
                    "192.0.2." + (10 + n),
                    B.plus(Duration.ofMinutes(30)).plusSeconds(n * 60L)));
        }
        script.add(log("ss", "auth0|newbie", "newbie@example.com", "192.0.2.99", B.plus(Duration.ofMinutes(40))));
        Collections.shuffle(script, new Random(2026));

        Map<String, String> env = TestEnvironments.logStreamPipeline("attack-it", token);
        LocalEndpoints endpoints = TestEnvironments.endpoints(stack);
        TestEnvironments.startStreamsAtEndOfRawTopic(stack, env);
        try (LocalGateway gateway =
                        LocalGateway.startIfConfigured(env, endpoints).orElseThrow();
                LocalStreamsApp streams =
                        LocalStreamsApp.start(env, endpoints, Files.createTempDirectory("attack-it"))) {
            for (int from = 0; from < script.size(); from += 10) {
                ArrayNode batch = JSON.createArrayNode();
                script.subList(from, Math.min(from + 10, script.size())).forEach(batch::add);
                HttpResponse<String> answer = HTTP.send(
                        HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.LOG_STREAM_PATH))
                                .header("Authorization", token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(batch)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            }

            Map<String, Double> expectedRollups = new LinkedHashMap<>();
            expectedRollups.put("sign_ins|hour|" + B + "|", 9.0);
            expectedRollups.put("sign_ins|day|" + DAY + "|", 9.0);
            expectedRollups.put("sign_ins|day|" + DAY + "|provider=auth0", 9.0);
            expectedRollups.put("sign_ins|day|" + DAY + "|client=Web", 9.0);
            expectedRollups.put("failed_login_rate|hour|" + B + "|", 37.0 / 46);
            expectedRollups.put("sign_ups|day|" + DAY + "|", 1.0);
            expectedRollups.put("new_users|day|" + DAY + "|", 9.0); // victim, traveler, roamer, 5 ordinary, newbie
            expectedRollups.put("active_users|day|" + DAY + "|", 7.0); // traveler, roamer and the 5 ordinary users
            Map<String, Double> rollups = awaitRollups(expectedRollups);
            assertThat(rollups).containsAllEntriesOf(expectedRollups);

            Set<String> scenarioIds =
                    script.stream().map(r -> r.get("log_id").asText()).collect(Collectors.toSet());
            awaitAlerts(scenarioIds, 6);
            Thread.sleep(2_000); // anything more would be an alert storm
            List<SecurityAlert> alerts = alertsOf(scenarioIds);
            assertThat(alerts)
                    .extracting(SecurityAlert::getRuleId)
                    .containsExactlyInAnyOrder(
                            "brute-force",
                            "credential-stuffing-accounts",
                            "impossible-travel",
                            "impossible-travel",
                            "breached-password",
                            // the stuffing burst is also ten typed names failing from one IP within a day
                            "auth0-password-spray-slow");
            SecurityAlert brute = alerts.stream()
                    .filter(a -> a.getRuleId().equals("brute-force"))
                    .findFirst()
                    .orElseThrow();
            assertThat(brute.getUserId()).isEqualTo("auth0|victim");
            assertThat(brute.getIp()).isEqualTo("203.0.113.10");
            assertThat(brute.getEvidence()).hasSize(10);
            SecurityAlert stuffing = alerts.stream()
                    .filter(a -> a.getRuleId().equals("credential-stuffing-accounts"))
                    .findFirst()
                    .orElseThrow();
            assertThat(stuffing.getIp()).isEqualTo("198.51.100.20");
            assertThat(stuffing.getAttributes()).containsEntry("count", "20");
            SecurityAlert travel = alerts.stream()
                    .filter(a -> a.getRuleId().equals("impossible-travel"))
                    .filter(a -> a.getUserId().equals("auth0|traveler"))
                    .findFirst()
                    .orElseThrow();
            assertThat(travel.getAttributes()).containsEntry("countries", "GB->US");
            SecurityAlert roaming = alerts.stream()
                    .filter(a -> a.getRuleId().equals("impossible-travel"))
                    .filter(a -> a.getUserId().equals("auth0|roamer"))
                    .findFirst()
                    .orElseThrow();
            assertThat(roaming.getAttributes()).containsEntry("countries", "DE->JP");

            JsonNode answer = JSON.readTree(HTTP.send(
                            HttpRequest.newBuilder(URI.create(streams.httpUrl()
                                            + "/analytics/failed_login_rate?granularity=hour&from=" + B + "&to=" + B))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertThat(answer.get("rollups").get(0).get("count").asLong()).isEqualTo(37);
            assertThat(answer.get("rollups").get(0).get("total").asLong()).isEqualTo(46);
        }
    }

    private Map<String, Double> latestRollups() {
        Map<String, Double> latest = new LinkedHashMap<>();
        stack.consumeAll(
                        Topics.AUTH_ANALYTICS.name(),
                        new AvroDeserializer<>(AnalyticsRollup.class, stack.serdeConfig()))
                .forEach(r -> latest.put(r.key(), r.value().getValue()));
        return latest;
    }

    private Map<String, Double> awaitRollups(Map<String, Double> expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        Map<String, Double> latest = latestRollups();
        while (!latest.entrySet().containsAll(expected.entrySet()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            latest = latestRollups();
        }
        return latest;
    }

    private void awaitAlerts(Set<String> scenarioIds, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (alertsOf(scenarioIds).size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
    }

    /** The alerts on the topic (which other test classes share) whose evidence is this scenario's events. */
    private List<SecurityAlert> alertsOf(Set<String> scenarioIds) {
        return stack
                .consumeAll(
                        Topics.AUTH_SECURITY_ALERTS.name(),
                        new AvroDeserializer<>(SecurityAlert.class, stack.serdeConfig()))
                .stream()
                .map(ConsumerRecord::value)
                .filter(alert -> !alert.getEvidence().isEmpty() && scenarioIds.containsAll(alert.getEvidence()))
                .toList();
    }
}
