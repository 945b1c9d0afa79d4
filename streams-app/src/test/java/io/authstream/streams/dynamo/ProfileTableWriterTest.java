package io.authstream.streams.dynamo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

class ProfileTableWriterTest {

    @Test
    void throttlingServerErrorsAndNetworkProblemsAreRetriedOthersAreNot() {
        assertThat(ProfileTableWriter.isTransient((ProvisionedThroughputExceededException) ProvisionedThroughputExceededException
                .builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("ProvisionedThroughputExceededException").build()).build())).isTrue();
        assertThat(ProfileTableWriter.isTransient((DynamoDbException) DynamoDbException.builder().statusCode(500)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build()).build())).isTrue();
        assertThat(ProfileTableWriter.isTransient(SdkClientException.create("connection reset"))).isTrue();
        assertThat(ProfileTableWriter.isTransient((DynamoDbException) DynamoDbException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ValidationException").build()).build())).isFalse();
    }
}
