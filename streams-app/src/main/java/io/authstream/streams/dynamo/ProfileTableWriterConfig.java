package io.authstream.streams.dynamo;

import io.authstream.schemas.config.EnvSettings.Key;
import io.authstream.schemas.config.EnvSettings;
import io.authstream.schemas.serde.AvroSerdeConfig;
import io.authstream.users.UsersTable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * Settings of the interim {@code auth.profiles} → DynamoDB writer, from environment variables,
 * validated at start. Region and credentials come from the AWS SDK's default chains
 * ({@code AWS_REGION}, {@code AWS_PROFILE}, instance roles, ...). {@code KAFKA_CONSUMER_<NAME>}
 * variables pass through to the consumer.
 */
public record ProfileTableWriterConfig(
        Map<String, Object> consumerConfig,
        Map<String, Object> serdeConfig,
        String table,
        Optional<URI> endpoint,
        boolean createTable) {

    public static final List<Key> KEYS = List.of(
            new Key("KAFKA_BOOTSTRAP_SERVERS", null, false, "Kafka bootstrap servers (required)."),
            new Key("SCHEMA_REGISTRY_URL", null, false, "Schema Registry URL(s) (required)."),
            new Key("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO", null, true, "user:password for the Schema Registry."),
            new Key("WRITER_GROUP_ID", "authstream-dynamodb-writer", false, "Consumer group of the writer."),
            new Key("DYNAMODB_TABLE", UsersTable.DEFAULT_NAME, false, "Name of the Users table."),
            new Key("DYNAMODB_ENDPOINT", null, false, "DynamoDB endpoint, e.g. DynamoDB Local's http://127.0.0.1:8000 (AWS when unset)."),
            new Key("DYNAMODB_CREATE_TABLE", "false", false, "Create the table (on-demand) at start if it is missing: true/false."));

    public static ProfileTableWriterConfig fromEnvironment(Map<String, String> variables) {
        EnvSettings env = new EnvSettings(variables, KEYS);
        String bootstrap = env.required("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String registry = env.required("SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
        Optional<URI> endpoint = Optional.empty();
        String endpointValue = env.value("DYNAMODB_ENDPOINT");
        if (endpointValue != null) {
            try {
                URI uri = new URI(endpointValue);
                if (uri.getScheme() == null || uri.getHost() == null) {
                    throw new URISyntaxException(endpointValue, "needs a scheme and a host");
                }
                endpoint = Optional.of(uri);
            } catch (URISyntaxException e) {
                env.problem("DYNAMODB_ENDPOINT must be a URL like http://127.0.0.1:8000, got '" + endpointValue + "'");
            }
        }
        String create = env.value("DYNAMODB_CREATE_TABLE");
        if (!create.equals("true") && !create.equals("false")) {
            env.problem("DYNAMODB_CREATE_TABLE must be true or false, got '" + create + "'");
        }
        env.failIfProblems("DynamoDB writer");

        Map<String, Object> consumer = new HashMap<>(env.passThrough("KAFKA_CONSUMER_"));
        consumer.put("bootstrap.servers", bootstrap);
        consumer.put("group.id", env.value("WRITER_GROUP_ID"));
        Map<String, Object> serde = new HashMap<>();
        serde.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        String userInfo = env.value("SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO");
        if (userInfo != null) {
            serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        return new ProfileTableWriterConfig(Map.copyOf(consumer), Map.copyOf(serde), env.value("DYNAMODB_TABLE"), endpoint,
                Boolean.parseBoolean(create));
    }

    /** A DynamoDB client whose adaptive retries back off on throttling before the writer's own backoff. */
    public DynamoDbClient dynamoDbClient() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .overrideConfiguration(ClientOverrideConfiguration.builder().retryStrategy(RetryMode.ADAPTIVE_V2).build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }

    @Override
    public String toString() {
        return "ProfileTableWriterConfig[kafka=" + consumerConfig.get("bootstrap.servers") + ", group=" + consumerConfig.get("group.id")
                + ", table=" + table + ", endpoint=" + endpoint.map(URI::toString).orElse("AWS") + ", createTable=" + createTable + "]";
    }
}
