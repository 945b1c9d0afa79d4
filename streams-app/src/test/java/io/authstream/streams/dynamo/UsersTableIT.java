package io.authstream.streams.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.embedded.junit.StackExtension;
import io.authstream.embedded.junit.TestStack;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.ProfileStatus;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** auth.profiles → DynamoDB Local through the writer: order-safe, replay-safe, tombstones delete. */
@ExtendWith(StackExtension.class)
class UsersTableIT {

    private static final Instant T0 = Instant.parse("2025-05-01T00:00:00Z");

    static {
        // Building generated records needs the trust every entry point sets up (see GeneratedClasses).
        io.authstream.schemas.GeneratedClasses.trust();
    }

    private final TestStack stack;

    UsersTableIT(TestStack stack) {
        this.stack = stack;
    }

    private static UserProfile profile(String user, long eventSecond, long loginSecond, long logins) {
        return UserProfile.newBuilder().setUserId(user).setEmail(user + "@example.com").setCreatedAt(T0)
                .setLastLoginDate(T0.plusSeconds(loginSecond)).setLoginCount(logins).setStatus(ProfileStatus.ACTIVE)
                .setLastEventAt(T0.plusSeconds(eventSecond)).setLastEventId("e" + eventSecond)
                .setUpdatedAt(T0.plusSeconds(eventSecond)).build();
    }

    @Test
    void conditionalWritesIgnoreReplaysAndOlderProfiles() {
        try (DynamoDbClient dynamo = stack.dynamoDbClient()) {
            UsersTable table = new UsersTable(dynamo, "Users-" + TestStack.uniqueTopic("t"));
            table.createIfMissing();
            table.createIfMissing();
            assertThat(table.upsert(profile("u", 10, 10, 1))).isTrue();
            assertThat(table.upsert(profile("u", 20, 20, 2))).isTrue();
            // A replay of the same profile, and an older one arriving late, change nothing.
            assertThat(table.upsert(profile("u", 20, 20, 2))).isFalse();
            assertThat(table.upsert(profile("u", 15, 15, 1))).isFalse();
            Map<String, AttributeValue> item = table.get("u");
            assertThat(item.get("loginCount").n()).isEqualTo("2");
            assertThat(item.get("lastLoginDate").s()).isEqualTo(T0.plusSeconds(20).toString());
            assertThat(item.get("createdAt").s()).isEqualTo(T0.toString());
            // createdAt is never overwritten, even by a newer profile claiming another one.
            assertThat(table.upsert(UserProfile.newBuilder(profile("u", 30, 30, 3)).setCreatedAt(T0.plusSeconds(99)).build()))
                    .isTrue();
            assertThat(table.get("u").get("createdAt").s()).isEqualTo(T0.toString());
            table.delete("u");
            table.delete("u");
            assertThat(table.get("u")).isEmpty();
        }
    }

    @Test
    void theWriterMirrorsTheProfilesTopicAndAReplayChangesNothing() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        String a = TestStack.uniqueTopic("auth0|writer-a");
        String b = TestStack.uniqueTopic("auth0|writer-b");
        Map<String, Object> producerConfig = stack.clientConfig();
        producerConfig.put("acks", "all");
        try (KafkaProducer<String, UserProfile> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                new AvroSerializer<>(stack.serdeConfig(), false))) {
            for (ProducerRecord<String, UserProfile> record : Arrays.asList(
                    new ProducerRecord<>(Topics.AUTH_PROFILES.name(), a, profile(a, 10, 10, 1)),
                    new ProducerRecord<>(Topics.AUTH_PROFILES.name(), b, profile(b, 11, 11, 1)),
                    new ProducerRecord<>(Topics.AUTH_PROFILES.name(), a, profile(a, 20, 20, 2)),
                    new ProducerRecord<String, UserProfile>(Topics.AUTH_PROFILES.name(), b, null))) {
                producer.send(record).get();
            }
        }
        try (DynamoDbClient dynamo = stack.dynamoDbClient()) {
            UsersTable table = new UsersTable(dynamo, UsersTable.DEFAULT_NAME);
            table.createIfMissing();
            for (String group : new String[] {TestStack.uniqueTopic("writer"), TestStack.uniqueTopic("writer-replay")}) {
                Map<String, Object> consumerConfig = stack.clientConfig();
                consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
                ProfileTableWriter writer = new ProfileTableWriter(consumerConfig, stack.serdeConfig(), table);
                try {
                    long deadline = System.currentTimeMillis() + 30_000;
                    while ((table.get(a).isEmpty() || !"2".equals(table.get(a).get("loginCount").n()) || !table.get(b).isEmpty())
                            && System.currentTimeMillis() < deadline) {
                        writer.pollOnce(Duration.ofMillis(500));
                    }
                    // Drain whatever is left so the replay group has read everything too.
                    while (writer.pollOnce(Duration.ofMillis(500)) > 0) {
                        // keep reading
                    }
                } finally {
                    writer.close();
                }
                Map<String, AttributeValue> item = table.get(a);
                assertThat(item.get("loginCount").n()).as("after group %s", group).isEqualTo("2");
                assertThat(item.get("lastEventAt").s()).isEqualTo(T0.plusSeconds(20).toString());
                assertThat(table.get(b)).isEmpty();
            }
        }
    }
}
