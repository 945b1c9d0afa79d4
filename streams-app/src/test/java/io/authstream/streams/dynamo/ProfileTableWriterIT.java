package io.authstream.streams.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.embedded.junit.StackExtension;
import io.authstream.embedded.junit.TestStack;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.ProfileStatus;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.users.UsersTable;
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

/** auth.profiles → DynamoDB Local through the interim writer: a second consumer group replaying it changes nothing; tombstones delete. */
@ExtendWith(StackExtension.class)
class ProfileTableWriterIT {

    private static final Instant T0 = Instant.parse("2025-05-01T00:00:00Z");

    static {
        // Building generated records needs the trust every entry point sets up (see GeneratedClasses).
        io.authstream.schemas.GeneratedClasses.trust();
    }

    private final TestStack stack;

    ProfileTableWriterIT(TestStack stack) {
        this.stack = stack;
    }

    private static UserProfile profile(String user, long eventSecond, long loginSecond, long logins) {
        return UserProfile.newBuilder().setUserId(user).setEmail(user + "@example.com").setCreatedAt(T0)
                .setLastLoginDate(T0.plusSeconds(loginSecond)).setLoginCount(logins).setStatus(ProfileStatus.ACTIVE)
                .setLastEventAt(T0.plusSeconds(eventSecond)).setLastEventId("e" + eventSecond)
                .setUpdatedAt(T0.plusSeconds(eventSecond)).build();
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
