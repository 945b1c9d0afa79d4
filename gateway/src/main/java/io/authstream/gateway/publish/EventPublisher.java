package io.authstream.gateway.publish;

import io.authstream.normalize.EventKeys;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The gateway's one Kafka producer (idempotent, {@code acks=all}), shared by every request.
 * {@link #publish} returns a future that completes when the broker has acknowledged every record
 * of the request, so the HTTP answer can wait for it without holding a thread.
 */
public final class EventPublisher implements AutoCloseable {

    public static final String HEADER_REASON = "authstream.error.reason";
    public static final String HEADER_SOURCE = "authstream.source";
    public static final String HEADER_RECEIVED_AT = "authstream.received-at";

    private final Producer<String, byte[]> producer;
    private final Serializer<AuthEvent> eventSerializer;
    private final Admin admin;

    public EventPublisher(Map<String, Object> producerConfig, Serializer<AuthEvent> eventSerializer) {
        Map<String, Object> config = new java.util.HashMap<>(producerConfig);
        // Durability is not configurable: a 2xx promises the event is on the broker, in order, once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "authstream-gateway");
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        this.eventSerializer = eventSerializer;
        // The readiness check connects exactly as the producer does (security settings included).
        Map<String, Object> adminConfig = new java.util.HashMap<>();
        config.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                adminConfig.put(key, value);
            }
        });
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "authstream-gateway-health");
        this.admin = Admin.create(adminConfig);
    }

    /**
     * Sends every event to {@code auth.events.raw} and every dead letter to
     * {@code auth.events.deadletter}; the future fails if any of them is not acknowledged.
     */
    public CompletableFuture<Void> publish(List<AuthEvent> events, List<DeadLetter> deadLetters, Instant receivedAt) {
        List<CompletableFuture<Void>> acks = new ArrayList<>(events.size() + deadLetters.size());
        try {
            for (AuthEvent event : events) {
                String topic = Topics.AUTH_EVENTS_RAW.name();
                byte[] value = eventSerializer.serialize(topic, event);
                acks.add(send(new ProducerRecord<>(topic, EventKeys.of(event), value)));
            }
            for (DeadLetter deadLetter : deadLetters) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.AUTH_EVENTS_DEADLETTER.name(),
                        deadLetter.source(), deadLetter.payload());
                record.headers().add(new RecordHeader(HEADER_REASON, deadLetter.reason().getBytes(StandardCharsets.UTF_8)));
                record.headers().add(new RecordHeader(HEADER_SOURCE, deadLetter.source().getBytes(StandardCharsets.UTF_8)));
                record.headers().add(new RecordHeader(HEADER_RECEIVED_AT, receivedAt.toString().getBytes(StandardCharsets.UTF_8)));
                acks.add(send(record));
            }
        } catch (RuntimeException e) {
            // Serialization (registry unreachable) or a send refused at once: the request fails as a whole.
            acks.add(CompletableFuture.failedFuture(e));
        }
        return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                ack.completeExceptionally(error);
            } else {
                ack.complete(null);
            }
        });
        return ack;
    }

    /** Whether a broker answers within {@code timeout}: the readiness check. */
    public boolean brokerReachable(Duration timeout) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        admin.close(Duration.ofSeconds(5));
        eventSerializer.close();
    }
}
