package io.authstream.streams.dynamo;

import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.serde.AvroSerdeConfig;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Runs the {@code auth.profiles} → DynamoDB {@code Users} writer from the environment:
 * {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}, {@code DYNAMODB_TABLE} (Users),
 * {@code DYNAMODB_ENDPOINT} (e.g. DynamoDB Local; AWS when unset), {@code DYNAMODB_CREATE_TABLE}
 * (false), {@code WRITER_GROUP_ID} (authstream-dynamodb-writer). Region and credentials come from
 * the AWS SDK's default chains (AWS_REGION, AWS_PROFILE, instance roles, ...).
 */
public final class ProfileTableWriterMain {

    private ProfileTableWriterMain() {}

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        List<String> problems = new ArrayList<>();
        for (String required : List.of("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL")) {
            if (env.getOrDefault(required, "").isBlank()) {
                problems.add(required + " is required");
            }
        }
        if (!problems.isEmpty()) {
            System.err.println("invalid writer settings:\n  - " + String.join("\n  - ", problems));
            System.exit(2);
        }
        GeneratedClasses.trust();
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                // Adaptive retries back off on throttling before the writer's own backoff takes over.
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.ADAPTIVE_V2).build());
        String endpoint = env.get("DYNAMODB_ENDPOINT");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint));
        }
        DynamoDbClient dynamo = builder.build();
        UsersTable table = new UsersTable(dynamo, env.getOrDefault("DYNAMODB_TABLE", UsersTable.DEFAULT_NAME));
        if (Boolean.parseBoolean(env.getOrDefault("DYNAMODB_CREATE_TABLE", "false"))) {
            table.createIfMissing();
        }
        Map<String, Object> consumer = new HashMap<>();
        consumer.put("bootstrap.servers", env.get("KAFKA_BOOTSTRAP_SERVERS"));
        consumer.put("group.id", env.getOrDefault("WRITER_GROUP_ID", "authstream-dynamodb-writer"));
        Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, env.get("SCHEMA_REGISTRY_URL"));
        if (env.get("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO") != null) {
            serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, env.get("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"));
        }
        ProfileTableWriter writer = new ProfileTableWriter(consumer, serde, table);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            writer.close();
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "writer-shutdown"));
        writer.run();
        writer.closeConsumer();
        dynamo.close();
    }
}
