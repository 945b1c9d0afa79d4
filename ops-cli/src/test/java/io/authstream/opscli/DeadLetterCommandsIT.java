package io.authstream.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.fixtures.Samples;
import io.authstream.gateway.publish.DeadLetter;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code bin/authstream tail}, {@code dlq list} and {@code dlq redrive} on the real broker and
 * registry: dead letters written by the gateway's own publisher (and one as the Streams app writes
 * them), good Avro events beside them; the commands run in-process, their output parsed.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeadLetterCommandsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestStack stack;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String user = "user-" + run;
    private final byte[] logRecord = Samples.bytes("log-stream/007_fp_wrong-password.json");
    private final byte[] streamEvent = Samples.bytes("event-streams/301_user.created_docs-test-webhook.json");
    private final String malformed = "{\"log_id\": \"" + run + "\", \"data\": ";
    private final String notALog = "{\"hello\": \"" + run + "\"}";
    private final byte[] undeserializable = {0, 0, 0, 0, 42, (byte) 0xff, (byte) 0xfe, 7};

    DeadLetterCommandsIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeAll
    void writeEventsAndDeadLetters() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        try (EventPublisher publisher =
                new EventPublisher(stack.clientConfig(), new AvroSerializer<>(stack.serdeConfig(), false))) {
            AuthEvent first = AuthEvent.newBuilder(SampleEvents.minimal())
                    .setEventId("good-" + run + "-1")
                    .setUserId(user)
                    .build();
            AuthEvent second = AuthEvent.newBuilder(SampleEvents.minimal())
                    .setEventId("good-" + run + "-2")
                    .setUserId("other-" + run)
                    .build();
            publisher
                    .publish(
                            List.of(publisher.encode(first), publisher.encode(second)),
                            List.of(
                                    // Refused by an older normaliser, taken by today's: what a redrive is for.
                                    new DeadLetter(
                                            "auth0.log-stream",
                                            logRecord,
                                            DeadLetterReason.INVALID_EVENT,
                                            "\"data.type\" was not known"),
                                    new DeadLetter(
                                            "auth0.event-stream",
                                            streamEvent,
                                            DeadLetterReason.INVALID_EVENT,
                                            "\"data.object\" was not known"),
                                    new DeadLetter(
                                            "auth0.log-stream",
                                            malformed.getBytes(StandardCharsets.UTF_8),
                                            DeadLetterReason.MALFORMED_JSON,
                                            "Unexpected end-of-input"),
                                    new DeadLetter(
                                            "auth0.log-stream",
                                            notALog.getBytes(StandardCharsets.UTF_8),
                                            DeadLetterReason.INVALID_EVENT,
                                            "no \"data\"")),
                            Instant.now())
                    .get(30, TimeUnit.SECONDS);
        }
        // As StreamsDeadLetters writes one: the input record's bytes and where it was read.
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(stack.clientConfig(), new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    Topics.AUTH_EVENTS_DEADLETTER.name(),
                    null,
                    user.getBytes(StandardCharsets.UTF_8),
                    undeserializable);
            record.headers().add(DeadLetterHeaders.REASON, utf8("undeserializable: unknown magic byte"));
            record.headers().add(DeadLetterHeaders.CODE, utf8("undeserializable"));
            record.headers().add(DeadLetterHeaders.SOURCE, utf8("streams-app"));
            record.headers()
                    .add(DeadLetterHeaders.RECEIVED_AT, utf8(Instant.now().toString()));
            record.headers().add("authstream.origin.topic", utf8("auth.events.raw"));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Output and error of one command line, which must exit 0. */
    private record Run(String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    private Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(
                List.of("--bootstrap-servers", stack.bootstrapServers(), "--registry-url", stack.schemaRegistryUrl()));
        int status = AuthstreamCommand.execute(
                new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
        assertThat(status).as(out + "\n" + err).isZero();
        return new Run(out.toString(), err.toString());
    }

    private static List<JsonNode> jsonLines(Run run) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : run.lines()) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    @Order(1)
    void tailDecodesAvroThroughTheRegistryAndStopsAtTheEnd() throws Exception {
        List<JsonNode> lines = jsonLines(cli("tail", Topics.AUTH_EVENTS_RAW.name(), "--from-beginning"));
        assertThat(lines).hasSize(2);
        JsonNode mine = lines.stream()
                .filter(l -> l.path("key").asText().equals(user))
                .findFirst()
                .orElseThrow();
        assertThat(mine.path("topic").asText()).isEqualTo("auth.events.raw");
        assertThat(mine.path("value").path("eventId").asText()).isEqualTo("good-" + run + "-1");
        assertThat(mine.path("value").path("userId").asText()).isEqualTo(user);
        // A timestamp-millis field comes out as ISO-8601, as the record's own timestamp does.
        assertThat(Instant.parse(mine.path("value").path("occurredAt").asText()))
                .isEqualTo(SampleEvents.minimal().getOccurredAt());
        assertThat(Instant.parse(mine.path("timestamp").asText()))
                .isAfter(Instant.now().minusSeconds(600));

        List<JsonNode> byKey = jsonLines(cli("tail", Topics.AUTH_EVENTS_RAW.name(), "--key", user));
        assertThat(byKey)
                .extracting(l -> l.path("value").path("eventId").asText())
                .containsExactly("good-" + run + "-1");
        assertThat(jsonLines(cli("tail", Topics.AUTH_EVENTS_RAW.name(), "--from-beginning", "--max", "1")))
                .hasSize(1);
        assertThat(jsonLines(cli("tail", Topics.AUTH_EVENTS_RAW.name(), "--since", "1h")))
                .hasSize(2);
        Run none = cli("tail", Topics.AUTH_EVENTS_RAW.name(), "--since", "0s");
        assertThat(none.out()).isEmpty();
        assertThat(none.err()).contains("0 record(s) printed");
    }

    @Test
    @Order(2)
    void tailShowsDeadLettersWithTheirReasonsAndTheirBodies() throws Exception {
        List<JsonNode> lines = jsonLines(cli("tail", Topics.AUTH_EVENTS_DEADLETTER.name()));
        assertThat(lines).hasSize(5);
        JsonNode broken = lines.stream()
                .filter(l -> l.path("deadLetter").path("reason").asText().equals("malformed_json"))
                .findFirst()
                .orElseThrow();
        assertThat(broken.path("value").asText()).isEqualTo(malformed);
        assertThat(broken.path("key").asText()).isEqualTo("auth0.log-stream");
        assertThat(broken.path("deadLetter").path("source").asText()).isEqualTo("auth0.log-stream");
        assertThat(broken.path("deadLetter").path("detail").asText()).isEqualTo("Unexpected end-of-input");
        assertThat(broken.path("deadLetter").path("size").asInt()).isEqualTo(malformed.length());
        Instant.parse(broken.path("deadLetter").path("receivedAt").asText());
        JsonNode binary = lines.stream()
                .filter(l -> l.path("deadLetter").path("source").asText().equals("streams-app"))
                .findFirst()
                .orElseThrow();
        assertThat(binary.has("value")).isFalse();
        assertThat(Base64.getDecoder().decode(binary.path("valueBase64").asText()))
                .isEqualTo(undeserializable);
        assertThat(binary.path("headers").path("authstream.origin.topic").asText())
                .isEqualTo("auth.events.raw");
        assertThat(binary.path("headers").has(DeadLetterHeaders.REASON)).isFalse();
    }

    @Test
    @Order(3)
    void dlqListFiltersAndCountsByReason() {
        Run all = cli("dlq", "list");
        assertThat(all.lines()).hasSize(5 + 1 + 3);
        assertThat(all.out())
                .contains("5 dead letter(s), 0 re-sent by dlq redrive\n")
                .contains("  invalid_event\t3\n")
                .contains("  malformed_json\t1\n")
                .contains("  undeserializable\t1\n");
        String line = all.lines().stream()
                .filter(l -> l.contains("malformed_json\tauth0.log-stream"))
                .findFirst()
                .orElseThrow();
        String[] columns = line.split("\t");
        assertThat(columns).hasSize(7);
        assertThat(columns[6]).isEqualTo("-");
        Instant.parse(columns[0]);
        assertThat(columns[3]).isEqualTo("Unexpected end-of-input");
        assertThat(columns[4]).isEqualTo(malformed.length() + " B");
        assertThat(columns[5]).matches("[0-2]-\\d+");

        Run reason = cli("dlq", "list", "--reason", "malformed_json");
        assertThat(reason.lines()).hasSize(1 + 1 + 1).first().asString().contains("malformed_json");
        Run source = cli("dlq", "list", "--source", "auth0.event-stream");
        assertThat(source.out()).contains("1 dead letter(s), 0 re-sent by dlq redrive\n  invalid_event\t1\n");
        Run both = cli("dlq", "list", "--source", "auth0.log-stream", "--reason", "invalid_event");
        assertThat(both.out()).contains("2 dead letter(s), 0 re-sent by dlq redrive\n");
        assertThat(cli("dlq", "list", "--since", "1h").out()).contains("5 dead letter(s), 0 re-sent by dlq redrive\n");
        assertThat(cli("dlq", "list", "--since", "0s").out()).isEqualTo("0 dead letter(s), 0 re-sent by dlq redrive\n");
    }

    @Test
    @Order(4)
    void aDryRunCountsAndWritesNothing() throws Exception {
        Map<String, Long> before = ends();
        Run dry = cli("dlq", "redrive", "--dry-run");
        assertThat(dry.out())
                .contains("invalid_event\t2\t1\t0\t0\n")
                .contains("malformed_json\t0\t1\t0\t0\n")
                .contains("undeserializable\t0\t0\t0\t1\n")
                .contains("total\t2\t2\t0\t1\n")
                .contains("dry run, nothing written");
        assertThat(dry.err()).contains("redrive: 5 dead letter(s) read, 2 would re-send, 2 failed again");
        assertThat(ends()).isEqualTo(before);
    }

    @Test
    @Order(5)
    void aRedriveResendsThroughTodaysNormalisersOnceAndOnlyOnce() throws Exception {
        Map<String, Long> before = ends();
        // A filter re-sends only what it selects.
        Run eventStream = cli("dlq", "redrive", "--source", "auth0.event-stream");
        assertThat(eventStream.out()).contains("total\t1\t0\t0\t0\n");
        Run rest = cli("dlq", "redrive");
        assertThat(rest.out())
                .contains("invalid_event\t1\t1\t1\t0\n")
                .contains("malformed_json\t0\t1\t0\t0\n")
                .contains("total\t1\t2\t1\t1\n")
                .doesNotContain("dry run");
        assertThat(rest.out())
                .containsPattern("failed again\t\\d-\\d+\tmalformed_json\tauth0.log-stream\tmalformed_json: ");
        assertThat(rest.err()).contains("redrive: 5 dead letter(s) read, 1 re-sent, 2 failed again, 1 already re-sent");

        List<ConsumerRecord<String, AuthEvent>> resent = stack
                .consumeAll(Topics.AUTH_EVENTS_RAW.name(), new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                .stream()
                .filter(r -> !r.value().getEventId().startsWith("good-" + run))
                .toList();
        assertThat(resent).hasSize(2);
        assertThat(resent).extracting(r -> r.value().getOriginalType()).containsExactlyInAnyOrder("fp", "user.created");
        assertThat(resent)
                .extracting(r -> r.value().getSource())
                .containsExactlyInAnyOrder("auth0.log-stream", "auth0.event-stream");
        for (ConsumerRecord<String, AuthEvent> record : resent) {
            assertThat(record.key())
                    .as("keyed by user id as the gateway keys it")
                    .isEqualTo(record.value().getUserId());
        }
        ConsumerRecord<String, AuthEvent> log = resent.stream()
                .filter(r -> r.value().getOriginalType().equals("fp"))
                .findFirst()
                .orElseThrow();
        assertThat(log.value().getUserId()).isEqualTo("auth0|61823277a44a21007221a59a");
        assertThat(log.value().getOccurredAt()).isEqualTo(Instant.parse("2021-11-03T08:25:14.466Z"));
        assertThat(rest.out()).contains("\tevent " + log.value().getEventId() + " (");

        List<ConsumerRecord<String, String>> marks =
                stack.consumeAll(Topics.AUTH_DEADLETTER_REDRIVEN.name(), new StringDeserializer());
        assertThat(marks).hasSize(2);
        assertThat(marks).extracting(ConsumerRecord::key).allMatch(k -> k.matches("[0-2]-\\d+"));
        Set<String> markedEvents = marks.stream()
                .map(m -> {
                    try {
                        return JSON.readTree(m.value()).path("eventId").asText();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                })
                .collect(Collectors.toSet());
        assertThat(markedEvents)
                .isEqualTo(resent.stream().map(r -> r.value().getEventId()).collect(Collectors.toSet()));
        Map<String, Long> afterFirst = ends();
        assertThat(afterFirst.get(Topics.AUTH_EVENTS_RAW.name()))
                .as("two events, each in a transaction with its commit marker")
                .isGreaterThan(before.get(Topics.AUTH_EVENTS_RAW.name()));

        // Again: nothing is re-sent, what failed is tried (and fails) again.
        Run again = cli("dlq", "redrive");
        assertThat(again.out())
                .contains("invalid_event\t0\t1\t2\t0\n")
                .contains("total\t0\t2\t2\t1\n")
                .doesNotContainPattern("(?m)^re-sent\t");
        assertThat(ends()).isEqualTo(afterFirst);
        assertThat(stack.consumeAll(
                                Topics.AUTH_EVENTS_RAW.name(),
                                new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()))
                        .size())
                .isEqualTo(4);
        // And dlq list still shows every dead letter (a redrive deletes none), the re-sent ones marked.
        Run list = cli("dlq", "list");
        assertThat(list.out()).contains("5 dead letter(s), 2 re-sent by dlq redrive\n");
        assertThat(list.lines().stream().filter(l -> l.endsWith("\tre-sent")))
                .hasSize(2)
                .allMatch(l -> l.contains("\tinvalid_event\t"));
    }

    @Test
    @Order(6)
    void tailFollowStartsAtTheEndAndPrintsWhatArrives() throws Exception {
        String topic = TestStack.uniqueTopic("tail-follow");
        stack.createTopics(topic);
        stack.produce(topic, new StringSerializer(), List.of("before"));
        CompletableFuture<Run> tail = CompletableFuture.supplyAsync(() -> cli("tail", topic, "--follow", "--max", "2"));
        // Written until the tail has printed two: it may start after some of them, never before "before".
        for (int i = 0; !tail.isDone() && i < 120; i++) {
            stack.produce(topic, new StringSerializer(), List.of("after-" + i));
            Thread.sleep(500);
        }
        List<JsonNode> lines = jsonLines(tail.get(30, TimeUnit.SECONDS));
        assertThat(lines).hasSize(2);
        assertThat(lines).extracting(l -> l.path("value").asText()).allMatch(v -> v.startsWith("after-"));
    }

    @Test
    @Order(7)
    void commandConfigSettingsAreUsedAndNeverPrinted() throws Exception {
        String kafkaSecret = "kafka-secret-" + run;
        String registrySecret = "registry-secret-" + run;
        TestSecrets.register(kafkaSecret);
        TestSecrets.registerCredential("ops:" + registrySecret);
        Path file = Files.createTempFile("command-config", ".properties");
        Files.writeString(
                file,
                "security.protocol=PLAINTEXT\n"
                        + "client.id=cli-" + run + "\n"
                        + "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"ops\" password=\"" + kafkaSecret + "\";\n"
                        + "basic.auth.credentials.source=USER_INFO\n"
                        + "basic.auth.user.info=ops:" + registrySecret + "\n");
        Run tail = cli("tail", Topics.AUTH_EVENTS_RAW.name(), "--max", "1", "--command-config", file.toString());
        assertThat(jsonLines(tail)).hasSize(1);
        assertThat(tail.out() + tail.err()).doesNotContain(kafkaSecret).doesNotContain(registrySecret);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = AuthstreamCommand.execute(
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                "dlq",
                "list",
                "--bootstrap-servers",
                stack.bootstrapServers(),
                "--command-config",
                file + ".missing");
        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read --command-config " + file + ".missing");
    }

    /** The end offsets (summed over partitions) of the topics a redrive writes. */
    private Map<String, Long> ends() throws Exception {
        try (Admin admin = stack.admin()) {
            Map<String, Long> ends = new java.util.TreeMap<>();
            for (String topic : List.of(Topics.AUTH_EVENTS_RAW.name(), Topics.AUTH_DEADLETTER_REDRIVEN.name())) {
                TopicDescription description = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(topic);
                Map<TopicPartition, OffsetSpec> query = description.partitions().stream()
                        .collect(Collectors.toMap(
                                p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
                long sum = admin.listOffsets(query).all().get(30, TimeUnit.SECONDS).values().stream()
                        .mapToLong(o -> o.offset())
                        .sum();
                ends.put(topic, sum);
            }
            return ends;
        }
    }
}
