package io.authstream.connect.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.testrecords.TestSecrets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

class DynamoDbSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("schema.registry.url", "http://registry:8081");
        return props;
    }

    @Test
    void defaultsWriteTheUsersTableOnAwsWithTheDefaultCredentialChain() {
        DynamoDbSinkConfig config = new DynamoDbSinkConfig(minimal());
        assertThat(config.table()).isEqualTo("Users");
        assertThat(config.createTable()).isFalse();
        assertThat(config.maxRetries()).isEqualTo(20);
        assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.serdeConfig()).containsEntry("schema.registry.url", "http://registry:8081");
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        Map<String, String> endpoint = minimal();
        endpoint.put("dynamodb.endpoint", "127.0.0.1:8000");
        assertThatThrownBy(() -> new DynamoDbSinkConfig(endpoint))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("dynamodb.endpoint")
                .hasMessageContaining("must be a URL like http://127.0.0.1:8000");
        Map<String, String> halfCredentials = minimal();
        halfCredentials.put("aws.access.key.id", "AKIDEXAMPLE");
        assertThatThrownBy(() -> new DynamoDbSinkConfig(halfCredentials))
                .hasMessage("aws.access.key.id and aws.secret.access.key go together: set both or neither");
        assertThatThrownBy(() -> new DynamoDbSinkConfig(new HashMap<>()))
                .hasMessageContaining("Missing required configuration \"schema.registry.url\"");
        Map<String, String> table = minimal();
        table.put("dynamodb.table", "");
        assertThatThrownBy(() -> new DynamoDbSinkConfig(table)).hasMessageContaining("dynamodb.table");
        Map<String, String> backoff = minimal();
        backoff.put("retry.backoff.initial.ms", "5000");
        backoff.put("retry.backoff.max.ms", "100");
        assertThatThrownBy(() -> new DynamoDbSinkConfig(backoff))
                .hasMessageContaining("retry.backoff.initial.ms")
                .hasMessageContaining("must not exceed retry.backoff.max.ms (100)");
    }

    @Test
    void secretsAreHiddenInTheConfigsOwnPrintout() {
        Map<String, String> props = minimal();
        props.put("aws.access.key.id", "AKIDEXAMPLE");
        props.put("aws.secret.access.key", "wJalrXUtnFEMI-secret");
        props.put("basic.auth.user.info", "svc:registry-secret");
        TestSecrets.register("wJalrXUtnFEMI-secret");
        TestSecrets.registerCredential("svc:registry-secret");
        DynamoDbSinkConfig config = new DynamoDbSinkConfig(props);
        assertThat(config.values().toString()).doesNotContain("wJalrXUtnFEMI-secret", "registry-secret");
        assertThat(DynamoDbSinkConfig.CONFIG_DEF.names())
                .contains(
                        "dynamodb.table",
                        "dynamodb.endpoint",
                        "aws.region",
                        "max.retries",
                        "retry.backoff.initial.ms",
                        "retry.backoff.max.ms",
                        "dynamodb.create.table");
    }

    @Test
    void throttlingServerErrorsAndNetworkProblemsAreRetriedOthersAreNot() {
        assertThat(DynamoDbSinkTask.isTransient(ProvisionedThroughputExceededException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ProvisionedThroughputExceededException")
                                .build())
                        .build()))
                .isTrue();
        assertThat(DynamoDbSinkTask.isTransient((DynamoDbException) DynamoDbException.builder()
                        .statusCode(500)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("InternalServerError")
                                .build())
                        .build()))
                .isTrue();
        assertThat(DynamoDbSinkTask.isTransient(SdkClientException.create("connection reset")))
                .isTrue();
        assertThat(DynamoDbSinkTask.isTransient((DynamoDbException) DynamoDbException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ValidationException")
                                .build())
                        .build()))
                .isFalse();
    }

    @Test
    void onlyAValidationExceptionMarksTheRecordItselfAsInvalid() {
        assertThat(DynamoDbSinkTask.isInvalidRecord((DynamoDbException) DynamoDbException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ValidationException")
                                .errorMessage("Item size has exceeded the maximum allowed size")
                                .build())
                        .build()))
                .isTrue();
        // The table or the credentials: every record would meet it, so the task fails instead.
        assertThat(DynamoDbSinkTask.isInvalidRecord((DynamoDbException) DynamoDbException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("ResourceNotFoundException")
                                .build())
                        .build()))
                .isFalse();
        assertThat(DynamoDbSinkTask.isInvalidRecord((DynamoDbException) DynamoDbException.builder()
                        .statusCode(400)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("AccessDeniedException")
                                .build())
                        .build()))
                .isFalse();
        assertThat(DynamoDbSinkTask.isInvalidRecord((DynamoDbException) DynamoDbException.builder()
                        .statusCode(500)
                        .awsErrorDetails(AwsErrorDetails.builder()
                                .errorCode("InternalServerError")
                                .build())
                        .build()))
                .isFalse();
    }
}
