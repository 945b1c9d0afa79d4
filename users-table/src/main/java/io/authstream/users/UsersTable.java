package io.authstream.users;

import io.authstream.schemas.avro.UserProfile;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The DynamoDB {@code Users} table (partition key {@code userId}), written so that replays and
 * reordered writes change nothing: an upsert only applies when its profile is newer
 * ({@code lastEventAt}) than the stored one, {@code createdAt} is set only if absent, and
 * {@code lastLoginDate} only moves forward.
 *
 * <p>The item is the one the UserProfile Lambda it replaces wrote, under the Lambda's names and
 * formats, because applications read those attributes directly: {@code userId}, {@code email},
 * {@code lastLoginDate}, {@code createdAt}, and {@code displayName}, {@code photoURL},
 * {@code provider} when known; times as JavaScript's {@code toISOString()} writes them
 * ({@code 2025-05-01T10:00:00.000Z}, always milliseconds, so they also sort as text). Beside them
 * are authstream's own attributes ({@code lastIp}, {@code status}, {@code loginCount}, epoch-millis
 * {@code *Ms} numbers for the conditions, ...). An item the Lambda wrote (no {@code *Ms}
 * numbers) is taken over by the first newer profile: its {@code createdAt} is kept, and its
 * {@code lastLoginDate} only moves forward, compared as text.
 */
public final class UsersTable {

    public static final String DEFAULT_NAME = "Users";

    private final DynamoDbClient dynamo;
    private final String table;

    public UsersTable(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** Creates the table (on-demand billing) unless it exists. */
    public void createIfMissing() {
        try {
            dynamo.createTable(b -> b.tableName(table)
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(AttributeDefinition.builder()
                            .attributeName("userId")
                            .attributeType(ScalarAttributeType.S)
                            .build())
                    .keySchema(KeySchemaElement.builder()
                            .attributeName("userId")
                            .keyType(KeyType.HASH)
                            .build()));
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(table));
        } catch (ResourceInUseException alreadyThere) {
            // Created by an earlier start or by someone else: fine.
        }
    }

    /** @return true if the item changed, false if the stored profile was as new or newer (a replay) */
    public boolean upsert(UserProfile profile) {
        Map<String, AttributeValue> values = new HashMap<>();
        // Every attribute goes through a #name: several (status, ...) are DynamoDB reserved words.
        Map<String, String> names = new HashMap<>();
        for (String name : List.of(
                "userId",
                "email",
                "displayName",
                "photoURL",
                "photoUrl",
                "provider",
                "lastIp",
                "lastCountry",
                "status",
                "lastEventId",
                "loginCount",
                "updatedAt",
                "updatedAtMs",
                "lastEventAt",
                "lastEventAtMs",
                "createdAt",
                "lastLoginDate",
                "lastLoginDateMs")) {
            names.put("#" + name, name);
        }
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        field("email", profile.getEmail(), set, remove, values);
        field("displayName", profile.getDisplayName(), set, remove, values);
        field("photoURL", profile.getPhotoUrl(), set, remove, values);
        remove.add("#photoUrl"); // the name authstream 0.1 wrote; photoURL is the Lambda's
        field("provider", profile.getProvider(), set, remove, values);
        field("lastIp", profile.getLastIp(), set, remove, values);
        field("lastCountry", profile.getLastCountry(), set, remove, values);
        field("status", profile.getStatus().name(), set, remove, values);
        field("lastEventId", profile.getLastEventId(), set, remove, values);
        values.put(":loginCount", AttributeValue.fromN(Long.toString(profile.getLoginCount())));
        set.add("#loginCount = :loginCount");
        timestamp("updatedAt", profile.getUpdatedAt(), set, values);
        timestamp("lastEventAt", profile.getLastEventAt(), set, values);
        values.put(":createdAt", AttributeValue.fromS(iso(profile.getCreatedAt())));
        set.add("#createdAt = if_not_exists(#createdAt, :createdAt)");
        if (profile.getLastLoginDate() != null) {
            timestamp("lastLoginDate", profile.getLastLoginDate(), set, values);
        } else {
            names.remove("#lastLoginDate");
            names.remove("#lastLoginDateMs");
        }
        String update =
                "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("userId", AttributeValue.fromS(profile.getUserId())))
                    .updateExpression(update)
                    .conditionExpression(
                            "(attribute_not_exists(#userId) OR attribute_not_exists(#lastEventAtMs)"
                                    + " OR #lastEventAtMs < :lastEventAtMs)"
                                    + (profile.getLastLoginDate() == null
                                            ? ""
                                            // the Lambda's items have the text only, in the same sortable format
                                            : " AND (#lastLoginDateMs <= :lastLoginDateMs OR (attribute_not_exists(#lastLoginDateMs)"
                                                    + " AND (attribute_not_exists(#lastLoginDate) OR #lastLoginDate <= :lastLoginDate)))"))
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException staleOrReplayed) {
            return false;
        }
    }

    /** Deletes the user's item (idempotent). */
    public void delete(String userId) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("userId", AttributeValue.fromS(userId))));
    }

    public Map<String, AttributeValue> get(String userId) {
        return dynamo.getItem(b -> b.tableName(table)
                        .key(Map.of("userId", AttributeValue.fromS(userId)))
                        .consistentRead(true))
                .item();
    }

    private static void field(
            String name, String value, List<String> set, List<String> remove, Map<String, AttributeValue> values) {
        if (value == null) {
            remove.add("#" + name);
        } else {
            values.put(":" + name, AttributeValue.fromS(value));
            set.add("#" + name + " = :" + name);
        }
    }

    /** As JavaScript's {@code Date.prototype.toISOString()}: UTC, always three decimals. */
    private static final DateTimeFormatter ISO =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public static String iso(Instant time) {
        return ISO.format(time);
    }

    private static void timestamp(String name, Instant value, List<String> set, Map<String, AttributeValue> values) {
        values.put(":" + name, AttributeValue.fromS(iso(value)));
        values.put(":" + name + "Ms", AttributeValue.fromN(Long.toString(value.toEpochMilli())));
        set.add("#" + name + " = :" + name);
        set.add("#" + name + "Ms = :" + name + "Ms");
    }
}
