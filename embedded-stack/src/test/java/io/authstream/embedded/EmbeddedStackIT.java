package io.authstream.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerdeConfig;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The embedded default as the local-stack command runs it: start, use, stop, start again on the same data. */
class EmbeddedStackIT {

    @TempDir
    Path dataDir;

    @Test
    void restartOnTheSameDataDirectoryKeepsTopicsSchemasRecordsAndTables() throws Exception {
        EmbeddedStack.Settings settings = new EmbeddedStack.Settings(
                dataDir, FreePorts.next(), FreePorts.next(), FreePorts.next(), FreePorts.next(), 2);
        List<String> progress = new ArrayList<>();
        int schemaId;
        try (EmbeddedStack stack = new EmbeddedStack(settings, progress::add).start()) {
            assertThat(progress).anyMatch(line -> line.startsWith("created topics auth.events.raw"));
            try (Admin admin = admin(stack)) {
                assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
                        .containsAll(Topics.ALL.stream().map(t -> t.name()).toList());
                ConfigResource profiles = new ConfigResource(ConfigResource.Type.TOPIC, Topics.AUTH_PROFILES.name());
                Config config = admin.describeConfigs(List.of(profiles))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .get(profiles);
                assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
                assertThat(admin.describeTopics(List.of(Topics.AUTH_EVENTS_RAW.name()))
                                .allTopicNames()
                                .get(30, TimeUnit.SECONDS)
                                .get(Topics.AUTH_EVENTS_RAW.name())
                                .partitions())
                        .hasSize(2);
            }
            schemaId = produceOne(stack);
            try (DynamoDbClient dynamo =
                    new EmbeddedDynamoDb(settings.dynamoDbPort(), java.util.Optional.empty()).client()) {
                dynamo.createTable(b -> b.tableName("Users")
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder()
                                .attributeName("userId")
                                .attributeType(ScalarAttributeType.S)
                                .build())
                        .keySchema(KeySchemaElement.builder()
                                .attributeName("userId")
                                .keyType(KeyType.HASH)
                                .build()));
                dynamo.putItem(b -> b.tableName("Users").item(Map.of("userId", AttributeValue.fromS("auth0|1"))));
            }
        }

        progress.clear();
        try (EmbeddedStack stack = new EmbeddedStack(settings, progress::add).start()) {
            assertThat(progress).contains("all " + Topics.ALL.size() + " topics already exist");
            // The same schema keeps its id, and the record written before the restart is still there.
            assertThat(produceOne(stack)).isEqualTo(schemaId);
            try (Admin admin = admin(stack)) {
                var partitions = admin.describeTopics(List.of(Topics.AUTH_EVENTS_RAW.name()))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(Topics.AUTH_EVENTS_RAW.name())
                        .partitions();
                long records = 0;
                for (var p : partitions) {
                    var tp = new org.apache.kafka.common.TopicPartition(Topics.AUTH_EVENTS_RAW.name(), p.partition());
                    records += admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                            .partitionResult(tp)
                            .get(30, TimeUnit.SECONDS)
                            .offset();
                }
                assertThat(records).isEqualTo(2);
            }
            try (DynamoDbClient dynamo =
                    new EmbeddedDynamoDb(settings.dynamoDbPort(), java.util.Optional.empty()).client()) {
                assertThat(dynamo.getItem(b ->
                                        b.tableName("Users").key(Map.of("userId", AttributeValue.fromS("auth0|1"))))
                                .item())
                        .containsKey("userId");
            }
        }
    }

    private static Admin admin(EmbeddedStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    private static int produceOne(EmbeddedStack stack) throws Exception {
        Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, stack.schemaRegistryUrl());
        AuthEvent event = SampleEvents.full();
        try (KafkaProducer<String, AuthEvent> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", stack.bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new AvroSerializer<>(serde, false))) {
            producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS_RAW.name(), event.getUserId(), event))
                    .get();
        }
        byte[] bytes = new AvroSerializer<AuthEvent>(serde, false).serialize(Topics.AUTH_EVENTS_RAW.name(), event);
        return ByteBuffer.wrap(bytes, 1, 4).getInt();
    }
}
