package io.authstream.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.avro.ProfileStatus;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The Users table on DynamoDB Local: conditional writes are order-safe and replay-safe, deletes idempotent. */
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
        return UserProfile.newBuilder()
                .setUserId(user)
                .setEmail(user + "@example.com")
                .setCreatedAt(T0)
                .setLastLoginDate(T0.plusSeconds(loginSecond))
                .setLoginCount(logins)
                .setStatus(ProfileStatus.ACTIVE)
                .setLastEventAt(T0.plusSeconds(eventSecond))
                .setLastEventId("e" + eventSecond)
                .setUpdatedAt(T0.plusSeconds(eventSecond))
                .build();
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
            assertThat(item.get("lastLoginDate").s()).isEqualTo("2025-05-01T00:00:20.000Z");
            assertThat(item.get("createdAt").s()).isEqualTo("2025-05-01T00:00:00.000Z");
            // createdAt is never overwritten, even by a newer profile claiming another one.
            assertThat(table.upsert(UserProfile.newBuilder(profile("u", 30, 30, 3))
                            .setCreatedAt(T0.plusSeconds(99))
                            .build()))
                    .isTrue();
            assertThat(table.get("u").get("createdAt").s()).isEqualTo("2025-05-01T00:00:00.000Z");
            table.delete("u");
            table.delete("u");
            assertThat(table.get("u")).isEmpty();
        }
    }

    /**
     * What the UserProfile Lambda wrote, and what the desktop app reads: these names, these
     * formats (JavaScript's toISOString), the optional ones only when known.
     */
    @Test
    void theItemHasTheLambdasAttributesUnderItsNamesAndFormats() {
        try (DynamoDbClient dynamo = stack.dynamoDbClient()) {
            UsersTable table = new UsersTable(dynamo, "Users-" + TestStack.uniqueTopic("t"));
            table.createIfMissing();
            table.upsert(UserProfile.newBuilder(profile("google-oauth2|1", 10, 10, 1))
                    .setDisplayName("Jane Doe")
                    .setPhotoUrl("https://lh3.googleusercontent.com/a/photo.jpg")
                    .setProvider("google-oauth2")
                    .setCreatedAt(Instant.parse("2025-05-01T08:30:15.123456Z"))
                    .build());
            Map<String, AttributeValue> item = table.get("google-oauth2|1");
            assertThat(item.get("userId").s()).isEqualTo("google-oauth2|1");
            assertThat(item.get("email").s()).isEqualTo("google-oauth2|1@example.com");
            assertThat(item.get("createdAt").s()).isEqualTo("2025-05-01T08:30:15.123Z");
            assertThat(item.get("lastLoginDate").s()).isEqualTo("2025-05-01T00:00:10.000Z");
            assertThat(item.get("displayName").s()).isEqualTo("Jane Doe");
            assertThat(item.get("photoURL").s()).isEqualTo("https://lh3.googleusercontent.com/a/photo.jpg");
            assertThat(item.get("provider").s()).isEqualTo("google-oauth2");
            assertThat(item).doesNotContainKey("photoUrl");

            table.upsert(profile("auth0|2", 10, 10, 1));
            assertThat(table.get("auth0|2")).doesNotContainKeys("displayName", "photoURL", "provider");
        }
    }

    /**
     * An item the Lambda wrote (its attributes only, no epoch-millis numbers) is taken over by the
     * first newer profile: createdAt kept, lastLoginDate moved forward only, the rest written.
     */
    @Test
    void anItemTheLambdaWroteIsUpdatedWithItsCreatedAtKept() {
        try (DynamoDbClient dynamo = stack.dynamoDbClient()) {
            String name = "Users-" + TestStack.uniqueTopic("t");
            UsersTable table = new UsersTable(dynamo, name);
            table.createIfMissing();
            dynamo.putItem(b -> b.tableName(name)
                    .item(Map.of(
                            "userId", AttributeValue.fromS("auth0|old"),
                            "email", AttributeValue.fromS("old@example.com"),
                            "createdAt", AttributeValue.fromS("2021-03-04T05:06:07.089Z"),
                            "lastLoginDate", AttributeValue.fromS("2025-05-01T00:00:30.000Z"),
                            "photoURL", AttributeValue.fromS("https://example.com/old.png"))));

            // A sign-in older than the Lambda's last one is refused whole, as an older profile always is.
            assertThat(table.upsert(profile("auth0|old", 20, 20, 1))).isFalse();
            Map<String, AttributeValue> item = table.get("auth0|old");
            assertThat(item.get("lastLoginDate").s()).isEqualTo("2025-05-01T00:00:30.000Z");
            assertThat(item.get("email").s()).isEqualTo("old@example.com");

            assertThat(table.upsert(profile("auth0|old", 40, 40, 2))).isTrue();
            item = table.get("auth0|old");
            assertThat(item.get("createdAt").s()).isEqualTo("2021-03-04T05:06:07.089Z");
            assertThat(item.get("lastLoginDate").s()).isEqualTo("2025-05-01T00:00:40.000Z");
            assertThat(item.get("email").s()).isEqualTo("auth0|old@example.com");
            assertThat(item.get("loginCount").n()).isEqualTo("2");
            assertThat(item).as("no photo in the profile: the attribute goes").doesNotContainKey("photoURL");
            assertThat(table.upsert(profile("auth0|old", 40, 40, 2)))
                    .as("a replay")
                    .isFalse();
        }
    }
}
