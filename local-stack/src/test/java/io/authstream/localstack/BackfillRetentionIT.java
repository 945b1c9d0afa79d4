package io.authstream.localstack;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.authstream.fixtures.Samples;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.testrecords.TestSecrets;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backfill of Auth0 logs from 2021, posted through the gateway and pulled by the logs source,
 * stays on {@code auth.events.raw} and {@code auth.events.ordered} after the broker's retention
 * check has run: retention counts from when a record was written, not from its event time. A
 * canary topic whose retention does count from the record's own (old) timestamp shows that a
 * check ran in between: its record is deleted.
 */
@ExtendWith(StackExtension.class)
// Apps and workers opened in try-with-resources run for the block without being referred to.
@SuppressWarnings("try")
class BackfillRetentionIT {

    @RegisterExtension
    static WireMockExtension auth0 = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"))
            .build();

    private static final Logger LOG = LoggerFactory.getLogger(BackfillRetentionIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofMinutes(3);

    private final TestStack stack;

    BackfillRetentionIT(TestStack stack) {
        this.stack = stack;
    }

    @Test
    void auth0LogsFrom2021StayOnTheEventTopicsAfterTheBrokersRetentionCheck() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        String token = "Bearer backfill-" + UUID.randomUUID();
        Map<String, String> env = TestEnvironments.logStreamPipeline("backfill-it", token);
        String clientSecret = "backfill-client-secret-" + UUID.randomUUID();
        String accessToken = "eyJ.backfill-" + UUID.randomUUID() + ".sig";
        TestSecrets.register(clientSecret);
        TestSecrets.register(accessToken);
        env.put("AUTH0_DOMAIN", auth0.baseUrl());
        env.put("AUTH0_CLIENT_ID", "m2m-backfill");
        env.put("AUTH0_CLIENT_SECRET", clientSecret);
        TestEnvironments.startStreamsAtEndOfRawTopic(stack, env);

        // The README's sample batch: Log Streams records, as the gateway takes them, and the same
        // logs as the Management API lists them (the record without its data wrapper).
        byte[] batch = Samples.bytes("wire-bodies/401_JSONARRAY_body_5events.json");
        List<JsonNode> listed = new ArrayList<>();
        for (JsonNode record : JSON.readTree(batch)) {
            ObjectNode log = ((ObjectNode) record.get("data")).deepCopy();
            log.put("log_id", record.get("log_id").asText());
            listed.add(log);
        }
        Set<String> ids = listed.stream().map(l -> l.get("log_id").asText()).collect(Collectors.toSet());
        auth0.stubFor(post("/oauth/token")
                .willReturn(okJson(
                        "{\"access_token\":\"" + accessToken + "\",\"expires_in\":86400,\"token_type\":\"Bearer\"}")));
        ArrayNode oldest = JSON.createArrayNode().add(listed.get(0));
        ArrayNode rest = JSON.createArrayNode();
        listed.subList(1, listed.size()).forEach(rest::add);
        auth0.stubFor(get(urlPathEqualTo("/api/v2/logs"))
                .withQueryParam("sort", equalTo("date:1"))
                .willReturn(okJson(oldest.toString())));
        auth0.stubFor(get(urlPathEqualTo("/api/v2/logs"))
                .withQueryParam("from", equalTo(listed.get(0).get("log_id").asText()))
                .willReturn(okJson(rest.toString())));
        auth0.stubFor(get(urlPathEqualTo("/api/v2/logs"))
                .withQueryParam(
                        "from",
                        equalTo(listed.get(listed.size() - 1).get("log_id").asText()))
                .willReturn(okJson("[]")));

        Instant written;
        try (LocalGateway gateway = LocalGateway.startIfConfigured(env, TestEnvironments.endpoints(stack))
                        .orElseThrow();
                LocalStreamsApp streams = LocalStreamsApp.start(
                        env, TestEnvironments.endpoints(stack), Files.createTempDirectory("backfill-it"));
                LocalConnect connect = LocalConnect.start(
                        env,
                        TestEnvironments.endpoints(stack),
                        TestStack.uniqueTopic("connect"),
                        Files.createTempDirectory("backfill-it-secrets"))) {
            HttpResponse<String> posted = HTTP.send(
                    HttpRequest.newBuilder(URI.create(gateway.url() + GatewayServer.LOG_STREAM_PATH))
                            .header("Authorization", token)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(batch))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(posted.body()).path("accepted").asInt()).isEqualTo(5);
            await(
                    "both deliveries of every log on raw, each once on ordered",
                    () -> copies(Topics.AUTH_EVENTS_RAW.name(), ids) == 10
                            && copies(Topics.AUTH_EVENTS_ORDERED.name(), ids) == 5);
            written = Instant.now();
        }

        // A record dated like the backfill on a topic whose retention counts from record times.
        String canary = TestStack.uniqueTopic("retention-canary");
        try (var admin = stack.admin()) {
            admin.createTopics(List.of(new NewTopic(canary, 1, (short) 1)
                            .configs(Map.of(
                                    TopicConfig.RETENTION_MS_CONFIG,
                                    Long.toString(Duration.ofDays(7).toMillis()),
                                    TopicConfig.SEGMENT_MS_CONFIG,
                                    "100"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(stack.clientConfig(), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            canary, 0, Instant.parse("2021-11-03T03:07:24.384Z").toEpochMilli(), "canary", new byte[1]))
                    .get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(canary, 0, System.currentTimeMillis(), "now", new byte[1]))
                    .get(30, TimeUnit.SECONDS);
        }
        await("the broker's retention check deleted the canary's 2021 record", () -> logStartOffset(canary) > 0);
        Duration checkAfter = Duration.between(written, Instant.now());

        assertThat(copies(Topics.AUTH_EVENTS_RAW.name(), ids))
                .as("copies of the backfill on raw")
                .isEqualTo(10);
        assertThat(copies(Topics.AUTH_EVENTS_ORDERED.name(), ids))
                .as("the backfill on ordered")
                .isEqualTo(5);
        LOG.info(
                "backfill figures: 5 logs from 2021 (gateway and logs source) kept: 10 on raw, 5 on ordered, after a retention "
                        + "check that deleted the canary's 2021 record {} ms after the backfill was written",
                checkAfter.toMillis());
    }

    private long copies(String topic, Set<String> ids) {
        return stack.consumeAll(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())).stream()
                .map(ConsumerRecord::value)
                .filter(e -> ids.contains(e.getEventId()))
                .count();
    }

    private long logStartOffset(String topic) throws Exception {
        try (var admin = stack.admin()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(partition, OffsetSpec.earliest()))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(partition)
                    .offset();
        }
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(500);
        }
    }
}
