package io.authstream.connect.dynamodb;

import io.authstream.connect.RegistrySettings;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Settings of the DynamoDB Users sink, validated by the worker before the connector starts. */
public final class DynamoDbSinkConfig extends AbstractConfig {

    public static final String TABLE = "dynamodb.table";
    public static final String ENDPOINT = "dynamodb.endpoint";
    public static final String REGION = "aws.region";
    public static final String ACCESS_KEY_ID = "aws.access.key.id";
    public static final String SECRET_ACCESS_KEY = "aws.secret.access.key";
    public static final String CREATE_TABLE = "dynamodb.create.table";
    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String MAX_RETRIES = "max.retries";

    private static final String AWS = "AWS";
    private static final String WRITES = "Writes";

    public static final ConfigDef CONFIG_DEF = RegistrySettings.define(new ConfigDef())
            .define(
                    TABLE,
                    Type.STRING,
                    "Users",
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "DynamoDB table with partition key userId (string).",
                    AWS,
                    1,
                    ConfigDef.Width.MEDIUM,
                    "Table")
            .define(
                    ENDPOINT,
                    Type.STRING,
                    "",
                    DynamoDbSinkConfig::validEndpoint,
                    Importance.MEDIUM,
                    "DynamoDB endpoint URL, e.g. DynamoDB Local's http://127.0.0.1:8000; empty for AWS.",
                    AWS,
                    2,
                    ConfigDef.Width.LONG,
                    "Endpoint")
            .define(
                    REGION,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "AWS region; empty for the SDK's default chain (AWS_REGION, profile, instance metadata).",
                    AWS,
                    3,
                    ConfigDef.Width.SHORT,
                    "Region")
            .define(
                    ACCESS_KEY_ID,
                    Type.STRING,
                    "",
                    Importance.LOW,
                    "Access key id; empty for the SDK's default credentials chain (preferred).",
                    AWS,
                    4,
                    ConfigDef.Width.MEDIUM,
                    "Access key id")
            .define(
                    SECRET_ACCESS_KEY,
                    Type.PASSWORD,
                    "",
                    Importance.LOW,
                    "Secret access key, with aws.access.key.id; never logged.",
                    AWS,
                    5,
                    ConfigDef.Width.MEDIUM,
                    "Secret access key")
            .define(
                    CREATE_TABLE,
                    Type.BOOLEAN,
                    false,
                    Importance.LOW,
                    "Create the table (on-demand billing) when the connector starts, if it is missing.",
                    AWS,
                    6,
                    ConfigDef.Width.SHORT,
                    "Create table")
            .define(
                    RETRY_BACKOFF_INITIAL_MS,
                    Type.LONG,
                    500L,
                    ConfigDef.Range.between(1, 600_000),
                    Importance.LOW,
                    "First wait before a batch that met throttling, a 5xx or a network error is retried; doubles.",
                    WRITES,
                    1,
                    ConfigDef.Width.SHORT,
                    "Initial backoff (ms)")
            .define(
                    RETRY_BACKOFF_MAX_MS,
                    Type.LONG,
                    30_000L,
                    ConfigDef.Range.between(1, 3_600_000),
                    Importance.LOW,
                    "Longest wait between retries of a batch.",
                    WRITES,
                    2,
                    ConfigDef.Width.SHORT,
                    "Max backoff (ms)")
            .define(
                    MAX_RETRIES,
                    Type.INT,
                    20,
                    ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM,
                    "Retries of a batch after transient errors before the task fails (after the SDK's own retries).",
                    WRITES,
                    3,
                    ConfigDef.Width.SHORT,
                    "Max retries");

    public DynamoDbSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        if (getString(ACCESS_KEY_ID).isEmpty()
                != getPassword(SECRET_ACCESS_KEY).value().isEmpty()) {
            throw new ConfigException(
                    ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + " go together: set both or neither");
        }
        if (getLong(RETRY_BACKOFF_INITIAL_MS) > getLong(RETRY_BACKOFF_MAX_MS)) {
            throw new ConfigException(
                    RETRY_BACKOFF_INITIAL_MS,
                    getLong(RETRY_BACKOFF_INITIAL_MS),
                    "must not exceed " + RETRY_BACKOFF_MAX_MS + " (" + getLong(RETRY_BACKOFF_MAX_MS) + ")");
        }
    }

    private static void validEndpoint(String name, Object value) {
        String text = (String) value;
        if (text == null || text.isEmpty()) {
            return;
        }
        try {
            URI uri = new URI(text);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new ConfigException(name, value, "must be a URL like http://127.0.0.1:8000");
            }
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(name, value, "must be a URL like http://127.0.0.1:8000");
        }
    }

    public String table() {
        return getString(TABLE);
    }

    public boolean createTable() {
        return getBoolean(CREATE_TABLE);
    }

    public Duration initialBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_INITIAL_MS));
    }

    public Duration maxBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    /** Serde settings for the profile deserializer. */
    public Map<String, Object> serdeConfig() {
        return RegistrySettings.serdeConfig(this);
    }

    /** A client with adaptive retries (they slow down under throttling before the task's own backoff). */
    public DynamoDbClient dynamoDbClient() {
        DynamoDbClientBuilder builder = DynamoDbClient.builder()
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.ADAPTIVE_V2)
                        .build());
        Optional.of(getString(ENDPOINT))
                .filter(e -> !e.isEmpty())
                .map(URI::create)
                .ifPresent(builder::endpointOverride);
        Optional.of(getString(REGION)).filter(r -> !r.isEmpty()).map(Region::of).ifPresent(builder::region);
        if (!getString(ACCESS_KEY_ID).isEmpty()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    getString(ACCESS_KEY_ID), getPassword(SECRET_ACCESS_KEY).value())));
        }
        return builder.build();
    }
}
