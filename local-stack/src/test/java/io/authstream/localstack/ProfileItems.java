package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.avro.UserProfile;
import io.authstream.users.UsersTable;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** DynamoDB Users items as the Connect sink writes them, compared with the profiles on auth.profiles. */
final class ProfileItems {

    private ProfileItems() {}

    static Map<String, AttributeValue> item(DynamoDbClient dynamo, String table, String user) {
        return dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of("userId", AttributeValue.fromS(user)))
                        .consistentRead(true))
                .item();
    }

    /** The item holds exactly the profile's fields (no item for a deleted user, a null profile). */
    static void assertSameProfile(UserProfile profile, Map<String, AttributeValue> item, String user) {
        if (profile == null) {
            assertThat(item).as("%s was deleted: no item", user).isEmpty();
            return;
        }
        Map<String, String> expected = new HashMap<>();
        expected.put("userId", profile.getUserId());
        expected.put("email", profile.getEmail());
        expected.put("displayName", profile.getDisplayName());
        expected.put("provider", profile.getProvider());
        expected.put("lastIp", profile.getLastIp());
        expected.put("lastCountry", profile.getLastCountry());
        expected.put("status", profile.getStatus().name());
        expected.put("lastEventId", profile.getLastEventId());
        expected.put("photoURL", profile.getPhotoUrl());
        expected.put("createdAt", UsersTable.iso(profile.getCreatedAt()));
        expected.put("lastEventAt", UsersTable.iso(profile.getLastEventAt()));
        expected.put(
                "lastLoginDate",
                profile.getLastLoginDate() == null ? null : UsersTable.iso(profile.getLastLoginDate()));
        expected.put("loginCount", Long.toString(profile.getLoginCount()));
        Map<String, String> actual = new HashMap<>();
        expected.keySet().forEach(name -> {
            AttributeValue value = item.get(name);
            actual.put(name, value == null ? null : value.n() != null ? value.n() : value.s());
        });
        assertThat(actual).as("DynamoDB item of %s", user).isEqualTo(expected);
    }
}
