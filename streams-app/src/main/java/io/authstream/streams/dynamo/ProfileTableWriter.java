package io.authstream.streams.dynamo;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.users.UsersTable;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Keeps the DynamoDB {@code Users} table equal to the compacted {@code auth.profiles} topic: a
 * plain consumer, outside the Streams topology (the interim home until the Kafka Connect sink).
 * Offsets are committed only after a batch is written; a crash replays the batch, which the
 * table's conditional writes make harmless. DynamoDB errors (throttling included, after the
 * SDK's own retries) are retried with exponential backoff, without skipping the record.
 */
public final class ProfileTableWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileTableWriter.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration REPORT_EVERY = Duration.ofMinutes(1);

    private final KafkaConsumer<String, UserProfile> consumer;
    private final UsersTable table;
    private final AtomicBoolean running = new AtomicBoolean(true);

    public ProfileTableWriter(Map<String, Object> consumerConfig, Map<String, ?> serdeConfig, UsersTable table) {
        Map<String, Object> config = new HashMap<>(consumerConfig);
        config.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "authstream-dynamodb-writer");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new AvroDeserializer<>(UserProfile.class, serdeConfig));
        this.table = table;
        consumer.subscribe(List.of(Topics.AUTH_PROFILES.name()));
    }

    /** A writer for {@code config}'s table (created first when the config asks for it). */
    public static ProfileTableWriter create(ProfileTableWriterConfig config, DynamoDbClient dynamo) {
        UsersTable table = new UsersTable(dynamo, config.table());
        if (config.createTable()) {
            table.createIfMissing();
        }
        return new ProfileTableWriter(config.consumerConfig(), config.serdeConfig(), table);
    }

    /** Polls once and writes what came; returns how many records were applied. */
    public int pollOnce(Duration timeout) {
        ConsumerRecords<String, UserProfile> records = consumer.poll(timeout);
        for (ConsumerRecord<String, UserProfile> record : records) {
            writeWithBackoff(record);
        }
        if (!records.isEmpty()) {
            consumer.commitSync();
        }
        return records.count();
    }

    /** Runs until {@link #stop()} is called from another thread, then closes the consumer. */
    public void run() {
        long written = 0;
        long lastReport = System.nanoTime();
        try {
            while (running.get()) {
                written += pollOnce(Duration.ofSeconds(1));
                if (written > 0 && System.nanoTime() - lastReport > REPORT_EVERY.toNanos()) {
                    LOG.info("{} profile changes applied to DynamoDB so far", written);
                    lastReport = System.nanoTime();
                }
            }
        } catch (WakeupException stopping) {
            // stop() was called
        } finally {
            close();
        }
    }

    private void writeWithBackoff(ConsumerRecord<String, UserProfile> record) {
        Duration backoff = Duration.ofMillis(100);
        while (true) {
            try {
                if (record.value() == null) {
                    table.delete(record.key());
                } else {
                    table.upsert(record.value());
                }
                return;
            } catch (SdkException e) {
                if (!running.get() || !isTransient(e)) {
                    // A permanent error (validation, access denied, missing table) would fail forever: stop loudly.
                    throw e;
                }
                LOG.warn("DynamoDB write for {} failed ({}); retrying in {} ms", record.key(), e.getMessage(), backoff.toMillis());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** Throttling, 5xx and network problems pass; anything else will not fix itself. */
    static boolean isTransient(SdkException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }

    /** Asks {@link #run()} to stop, from any thread; run() then closes the consumer on its own thread. */
    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    /** Closes the consumer; for callers that drive {@link #pollOnce} themselves, on their thread. */
    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }

}
