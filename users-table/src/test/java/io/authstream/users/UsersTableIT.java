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
            assertThat(item.get("lastLoginDate").s())
                    .isEqualTo(T0.plusSeconds(20).toString());
            assertThat(item.get("createdAt").s()).isEqualTo(T0.toString());
            // createdAt is never overwritten, even by a newer profile claiming another one.
            assertThat(table.upsert(UserProfile.newBuilder(profile("u", 30, 30, 3))
                            .setCreatedAt(T0.plusSeconds(99))
                            .build()))
                    .isTrue();
            assertThat(table.get("u").get("createdAt").s()).isEqualTo(T0.toString());
            table.delete("u");
            table.delete("u");
            assertThat(table.get("u")).isEmpty();
        }
    }
}
