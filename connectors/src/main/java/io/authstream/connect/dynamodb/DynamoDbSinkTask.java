package io.authstream.connect.dynamodb;

import io.authstream.connect.ErrantRecords;
import io.authstream.connect.Versions;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.users.UsersTable;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Writes each profile with the table's conditional upsert (a replay or an older profile changes
 * nothing) and each tombstone as a delete, in offset order per partition.
 *
 * <p>Transient DynamoDB errors (throttling, 5xx, network; after the SDK's adaptive retries) make
 * Connect redeliver the whole batch after a growing backoff — the conditional writes make the
 * repeats harmless — up to {@code max.retries}, then the task fails. A record that can never be
 * written (not our Avro, not a profile, no key, or one DynamoDB refuses as invalid: a key over
 * 2048 bytes, an item over 400 KB) is reported to Connect's errant-record reporter, so it lands in
 * the connector's dead-letter queue when one is configured and the task goes on; without one the
 * task fails.
 */
public final class DynamoDbSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbSinkTask.class);

    private DynamoDbSinkConfig config;
    private DynamoDbClient dynamo;
    private UsersTable table;
    private AvroDeserializer<UserProfile> profiles;
    private ErrantRecordReporter errants;
    private int consecutiveFailures;

    @Override
    public void start(Map<String, String> props) {
        GeneratedClasses.trust();
        config = new DynamoDbSinkConfig(props);
        dynamo = config.dynamoDbClient();
        table = new UsersTable(dynamo, config.table());
        if (config.createTable()) {
            table.createIfMissing();
        }
        profiles = new AvroDeserializer<>(UserProfile.class, config.serdeConfig());
        errants = context.errantRecordReporter();
        LOG.info("writing profiles to DynamoDB table {}", config.table());
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        try {
            for (SinkRecord record : records) {
                write(record);
            }
            consecutiveFailures = 0;
        } catch (SdkException e) {
            if (!isTransient(e)) {
                throw new ConnectException("DynamoDB refused a write to " + config.table() + ": " + e.getMessage(), e);
            }
            consecutiveFailures++;
            if (consecutiveFailures > config.maxRetries()) {
                throw new ConnectException(
                        "DynamoDB writes to " + config.table() + " still failing after " + config.maxRetries()
                                + " retries: " + e.getMessage(),
                        e);
            }
            Duration wait = backoff(consecutiveFailures);
            LOG.warn(
                    "DynamoDB write failed ({}); batch of {} retried in {} ms (retry {}/{})",
                    e.getMessage(),
                    records.size(),
                    wait.toMillis(),
                    consecutiveFailures,
                    config.maxRetries());
            context.timeout(wait.toMillis());
            throw new RetriableException(e);
        }
    }

    private void write(SinkRecord record) {
        if (!(record.key() instanceof String userId) || userId.isEmpty()) {
            reject(
                    record,
                    new IllegalArgumentException("a profile record needs the user id as a string key, got "
                            + (record.key() == null
                                    ? "none"
                                    : record.key().getClass().getSimpleName())));
            return;
        }
        if (record.value() == null) {
            try {
                table.delete(userId);
            } catch (AwsServiceException e) {
                refused(record, e);
            }
            return;
        }
        if (!(record.value() instanceof byte[] bytes)) {
            reject(
                    record,
                    new IllegalArgumentException("expected the raw bytes of the value (value.converter="
                            + "org.apache.kafka.connect.converters.ByteArrayConverter), got "
                            + record.value().getClass().getName()));
            return;
        }
        UserProfile profile;
        try {
            profile = profiles.deserialize(record.topic(), bytes);
        } catch (RuntimeException e) {
            reject(record, e);
            return;
        }
        if (!userId.equals(profile.getUserId())) {
            reject(
                    record,
                    new IllegalArgumentException(
                            "record key " + userId + " and profile userId " + profile.getUserId() + " differ"));
            return;
        }
        try {
            table.upsert(profile);
        } catch (AwsServiceException e) {
            refused(record, e);
        }
    }

    /** Reports the record when DynamoDB refused it for what it is; rethrows anything else for {@link #put} to judge. */
    private void refused(SinkRecord record, AwsServiceException e) {
        if (!isInvalidRecord(e)) {
            throw e;
        }
        reject(
                record,
                new IllegalArgumentException(
                        "DynamoDB refused the item as invalid (ValidationException): "
                                + e.awsErrorDetails().errorMessage(),
                        e));
    }

    private void reject(SinkRecord record, Exception reason) {
        ErrantRecords.report(errants, record, reason, LOG);
    }

    private Duration backoff(int failures) {
        long millis = config.initialBackoff().toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(millis, config.maxBackoff().toMillis()));
    }

    /**
     * DynamoDB's answer to an item it will never take (ValidationException: a key over 2048 bytes,
     * an item over 400 KB, an empty key), as opposed to one about the table or the credentials.
     */
    static boolean isInvalidRecord(AwsServiceException e) {
        return e.statusCode() == 400
                && e.awsErrorDetails() != null
                && "ValidationException".equals(e.awsErrorDetails().errorCode());
    }

    /** Throttling, 5xx and network problems pass; validation, access and missing-table errors will not. */
    static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    @Override
    public void stop() {
        if (profiles != null) {
            profiles.close();
        }
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
