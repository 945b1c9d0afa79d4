package io.authstream.connect.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.embedded.connect.EmbeddedConnectWorker;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.ProfileStatus;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.LogCapture;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import io.authstream.users.UsersTable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The sink in a real Connect worker: auth.profiles → DynamoDB Local, order-safe, tombstones delete, bad records to the DLQ. */
@ExtendWith(StackExtension.class)
class DynamoDbSinkConnectorIT {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String AWS_SECRET = "dynamo-secret-7f3a9c";

    static {
        GeneratedClasses.trust();
    }

    private final TestStack stack;

    DynamoDbSinkConnectorIT(TestStack stack) {
        this.stack = stack;
    }

    private static UserProfile profile(String user, long second, long logins) {
        return UserProfile.newBuilder()
                .setUserId(user)
                .setEmail(user + "@example.com")
                .setCreatedAt(T0)
                .setLastLoginDate(T0.plusSeconds(second))
                .setLoginCount(logins)
                .setStatus(ProfileStatus.ACTIVE)
                .setLastEventAt(T0.plusSeconds(second))
                .setLastEventId("e" + second)
                .setUpdatedAt(T0.plusSeconds(second))
                .build();
    }

    private Map<String, String> connectorConfig(String table, String deadLetters) {
        return connectorConfig(Topics.AUTH_PROFILES.name(), 2, table, deadLetters);
    }

    private Map<String, String> connectorConfig(String topic, int tasks, String table, String deadLetters) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", DynamoDbSinkConnector.class.getName());
        config.put("tasks.max", Integer.toString(tasks));
        config.put("topics", topic);
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("dynamodb.table", table);
        config.put("dynamodb.endpoint", stack.dynamoDbEndpoint());
        config.put("dynamodb.create.table", "true");
        config.put("aws.region", "us-east-1");
        config.put("aws.access.key.id", "local");
        config.put("aws.secret.access.key", AWS_SECRET);
        TestSecrets.register(AWS_SECRET);
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", deadLetters);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    @Test
    void mirrorsProfilesIntoTheUsersTable() throws Exception {
        LogCapture logs = LogCapture.start();
        stack.createTopics(Topics.ALL, 3);
        String a = TestStack.uniqueTopic("auth0|sink-a");
        String b = TestStack.uniqueTopic("auth0|sink-b");
        String broken = TestStack.uniqueTopic("auth0|sink-broken");
        String table = TestStack.uniqueTopic("Users");
        String deadLetters = TestStack.uniqueTopic("profiles-dlq");
        AvroSerializer<UserProfile> avro = new AvroSerializer<>(stack.serdeConfig(), false);
        Map<String, Object> producerConfig = stack.clientConfig();
        producerConfig.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            String topic = Topics.AUTH_PROFILES.name();
            for (ProducerRecord<String, byte[]> record : List.of(
                    new ProducerRecord<>(topic, a, avro.serialize(topic, profile(a, 10, 1))),
                    new ProducerRecord<>(topic, b, avro.serialize(topic, profile(b, 11, 1))),
                    new ProducerRecord<>(topic, broken, "not avro at all".getBytes(StandardCharsets.UTF_8)),
                    new ProducerRecord<>(topic, a, avro.serialize(topic, profile(a, 20, 2))),
                    new ProducerRecord<String, byte[]>(topic, b, null),
                    // An older profile of a, replayed late: the conditional write ignores it.
                    new ProducerRecord<>(topic, a, avro.serialize(topic, profile(a, 10, 1))))) {
                producer.send(record).get();
            }
        }

        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers());
                DynamoDbClient dynamo = stack.dynamoDbClient()) {
            JsonNode invalid = worker.validate(
                    DynamoDbSinkConnector.class.getName(),
                    Map.of(
                            "connector.class",
                            DynamoDbSinkConnector.class.getName(),
                            "topics",
                            "auth.profiles",
                            "dynamodb.endpoint",
                            "127.0.0.1:8000",
                            "max.retries",
                            "-1"));
            assertThat(invalid.get("error_count").asInt()).isGreaterThanOrEqualTo(3);
            assertThat(invalid.toString())
                    .contains(
                            "must be a URL like http://127.0.0.1:8000",
                            "Missing required configuration \\\"schema.registry.url\\\"",
                            "Value must be at least 0");

            assertThat(worker.putConnector("users-sink", connectorConfig(table, deadLetters))
                            .statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("users-sink", 2);
            await(() -> {
                Map<String, AttributeValue> itemA = item(dynamo, table, a);
                return itemA.containsKey("loginCount")
                        && "2".equals(itemA.get("loginCount").n())
                        && item(dynamo, table, b).isEmpty()
                        && !stack.consumeAll(deadLetters, new ByteArrayDeserializer())
                                .isEmpty();
            });
            Map<String, AttributeValue> itemA = item(dynamo, table, a);
            assertThat(itemA.get("lastEventAt").s()).isEqualTo(UsersTable.iso(T0.plusSeconds(20)));
            assertThat(itemA.get("createdAt").s()).isEqualTo(UsersTable.iso(T0));
            assertThat(item(dynamo, table, broken)).isEmpty();

            List<ConsumerRecord<String, byte[]>> dead = stack.consumeAll(deadLetters, new ByteArrayDeserializer());
            assertThat(dead).singleElement().satisfies(r -> {
                assertThat(r.key()).isEqualTo(broken);
                assertThat(new String(
                                r.headers()
                                        .lastHeader("__connect.errors.exception.message")
                                        .value(),
                                StandardCharsets.UTF_8))
                        .contains("Unknown magic byte");
            });
        } finally {
            logs.close();
        }
        assertThat(logs.messages()).noneMatch(line -> line.contains(AWS_SECRET));
    }

    @Test
    void itemsDynamoDbRefusesAsInvalidGoToTheDeadLetterQueueAndTheTaskGoesOn() throws Exception {
        String run = TestStack.uniqueTopic("profiles-invalid");
        String topic = run + "-in";
        String deadLetters = run + "-dlq";
        String table = TestStack.uniqueTopic("Users");
        stack.createTopics(topic);
        // DynamoDB's limits: a partition key of at most 2048 bytes, an item of at most 400 KB.
        String longKey = "auth0|" + "k".repeat(3000);
        String big = TestStack.uniqueTopic("auth0|big");
        UserProfile bigProfile = UserProfile.newBuilder(profile(big, 10, 1))
                .setPhotoUrl("https://cdn.example.com/" + "p".repeat(410 * 1024))
                .build();
        String good = TestStack.uniqueTopic("auth0|after");
        AvroSerializer<UserProfile> avro = new AvroSerializer<>(stack.serdeConfig(), false);
        Map<String, Object> producerConfig = stack.clientConfig();
        producerConfig.put("acks", "all");
        producerConfig.put("max.request.size", Integer.toString(1024 * 1024));
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, longKey, avro.serialize(topic, profile(longKey, 10, 1))))
                    .get();
            producer.send(new ProducerRecord<>(topic, big, avro.serialize(topic, bigProfile)))
                    .get();
            producer.send(new ProducerRecord<>(topic, good, avro.serialize(topic, profile(good, 10, 1))))
                    .get();
        }

        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers());
                DynamoDbClient dynamo = stack.dynamoDbClient()) {
            assertThat(worker.putConnector("users-sink-invalid", connectorConfig(topic, 1, table, deadLetters))
                            .statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("users-sink-invalid", 1);
            await(() -> !item(dynamo, table, good).isEmpty());
            List<ConsumerRecord<String, byte[]>> dead = stack.consume(deadLetters, new ByteArrayDeserializer(), 2);
            assertThat(dead).extracting(ConsumerRecord::key).containsExactly(longKey, big);
            assertThat(dead)
                    .allSatisfy(r -> assertThat(new String(
                                    r.headers()
                                            .lastHeader("__connect.errors.exception.message")
                                            .value(),
                                    StandardCharsets.UTF_8))
                            .startsWith("DynamoDB refused the item as invalid (ValidationException): "));
            assertThat(item(dynamo, table, big)).isEmpty();
            JsonNode status = worker.status("users-sink-invalid");
            assertThat(status.path("tasks").get(0).path("state").asText())
                    .as(status.toString())
                    .isEqualTo("RUNNING");
        }
    }

    private static Map<String, AttributeValue> item(DynamoDbClient dynamo, String table, String user) {
        try {
            return dynamo.getItem(r -> r.tableName(table)
                            .key(Map.of("userId", AttributeValue.fromS(user)))
                            .consistentRead(true))
                    .item();
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException notYet) {
            return Map.of();
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("DynamoDB and the DLQ did not reach the expected state within 60 s");
            }
            Thread.sleep(250);
        }
    }
}
