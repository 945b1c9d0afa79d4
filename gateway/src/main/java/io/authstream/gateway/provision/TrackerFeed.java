package io.authstream.gateway.provision;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a {@link ProvisioningTracker} from Kafka on a thread of its own: the requests and results
 * topics from their beginning (so every gateway instance, restarted or not, answers for requests
 * any instance took), {@code auth.events.raw} from its end at start (e-mail verifications and
 * sign-ins; reading seven days of every user's events to find a few employees' would delay the
 * start, so an employee verified before the gateway started shows created until the next
 * sign-in). No consumer group: each instance reads everything, nothing is committed.
 */
public final class TrackerFeed implements AutoCloseable {

    /** The normalised types of Auth0's {@code sv} (e-mail verified) and {@code s} (signed in), from any ingest path. */
    static final Set<String> VERIFYING_TYPES = Set.of("user.email_verified", "user.signed_in");

    private static final Logger LOG = LoggerFactory.getLogger(TrackerFeed.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final ProvisioningTracker tracker;
    private final AvroDeserializer<ProvisioningRequest> requests;
    private final AvroDeserializer<ProvisioningResult> results;
    private final AvroDeserializer<AuthEvent> events;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param clientConfig the connection settings (bootstrap servers, security) of the gateway's producer;
     *     those a consumer does not know are left out
     */
    public TrackerFeed(Map<String, Object> clientConfig, Map<String, Object> serdeConfig, ProvisioningTracker tracker) {
        Map<String, Object> config = new HashMap<>();
        clientConfig.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "authstream-gateway-provisioning");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.tracker = tracker;
        this.requests = new AvroDeserializer<>(ProvisioningRequest.class, serdeConfig);
        this.results = new AvroDeserializer<>(ProvisioningResult.class, serdeConfig);
        this.events = new AvroDeserializer<>(AuthEvent.class, serdeConfig);
        this.thread = new Thread(this::run, "provisioning-tracker");
        this.thread.setDaemon(true);
    }

    public TrackerFeed start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            List<TopicPartition> fromStart = new ArrayList<>();
            fromStart.addAll(partitions(Topics.PROVISIONING_REQUESTS.name()));
            fromStart.addAll(partitions(Topics.PROVISIONING_RESULTS.name()));
            List<TopicPartition> fromEnd = partitions(Topics.AUTH_EVENTS_RAW.name());
            List<TopicPartition> all = new ArrayList<>(fromStart);
            all.addAll(fromEnd);
            consumer.assign(all);
            consumer.seekToBeginning(fromStart);
            consumer.seekToEnd(fromEnd);
            fromEnd.forEach(consumer::position);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    take(record);
                }
            }
        } catch (WakeupException e) {
            // close() asked the loop to stop.
        } catch (RuntimeException e) {
            LOG.error("the provisioning tracker stopped reading Kafka; results and statuses are no longer updated", e);
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> partitions(String topic) {
        List<PartitionInfo> found = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (found == null || found.isEmpty()) {
            LOG.warn("topic {} not found: the provisioning tracker does not read it (bin/create-topics.sh)", topic);
            return List.of();
        }
        return found.stream()
                .map(p -> new TopicPartition(p.topic(), p.partition()))
                .toList();
    }

    private void take(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            if (record.topic().equals(Topics.PROVISIONING_REQUESTS.name())) {
                tracker.requested(requests.deserialize(record.topic(), record.value()));
            } else if (record.topic().equals(Topics.PROVISIONING_RESULTS.name())) {
                tracker.resulted(results.deserialize(record.topic(), record.value()));
            } else {
                AuthEvent event = events.deserialize(record.topic(), record.value());
                if (event.getUserId() != null && VERIFYING_TYPES.contains(event.getType())) {
                    tracker.verified(event.getUserId());
                }
            }
        } catch (RuntimeException e) {
            // One unreadable record (another writer, a registry hiccup) must not stop the others.
            LOG.warn(
                    "provisioning tracker skipped {}-{}@{}: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(10).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
