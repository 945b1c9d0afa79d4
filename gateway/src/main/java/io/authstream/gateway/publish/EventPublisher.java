package io.authstream.gateway.publish;

import io.authstream.normalize.EventKeys;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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

    private final Producer<String, byte[]> producer;
    private final Serializer<AuthEvent> eventSerializer;
    private final Admin admin;
    private final int maxRequestSize;

    public EventPublisher(Map<String, Object> producerConfig, Serializer<AuthEvent> eventSerializer) {
        Map<String, Object> config = producerSettings(producerConfig);
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        Object maxRequest = config.getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        this.maxRequestSize = Integer.parseInt(maxRequest.toString().trim());
        this.eventSerializer = eventSerializer;
        // The readiness check connects exactly as the producer does (security settings included).
        Map<String, Object> adminConfig = new HashMap<>();
        config.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                adminConfig.put(key, value);
            }
        });
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "authstream-gateway-health");
        this.admin = Admin.create(adminConfig);
    }

    /**
     * The producer's settings: {@code configured} (the {@code KAFKA_PRODUCER_*} variables) over
     * the gateway's defaults, with durability fixed.
     */
    static Map<String, Object> producerSettings(Map<String, Object> configured) {
        Map<String, Object> config = new HashMap<>(configured);
        // Durability is not configurable: a 2xx promises the event is on the broker, in order, once.
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // Batches form while a produce request is in flight, not on a timer. With linger 1 ms and
        // five requests in flight a 1-event webhook waited for its batch's linger (about half of its
        // 1.9 ms ack p50 in the load bench, 32 clients) while the machine was a quarter idle; with
        // no linger and two in flight, what arrives during a round trip to the broker goes in the
        // next request: 1-event bodies took 1.4-1.9 x the requests/s at lower CPU per request
        // (docs/benchmarks.md, 2026-12-06; the p99 at half the 100-event maximum did not improve).
        // One in flight was no faster for 1-event bodies and slower for 100-event ones.
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "0");
        config.putIfAbsent(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "2");
        config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "authstream-gateway");
        return config;
    }

    /**
     * The event's encoding, keyed as every producer of {@code auth.events.raw} keys it.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when the registry cannot be reached
     */
    public EncodedEvent encode(AuthEvent event) {
        return new EncodedEvent(
                EventKeys.of(event), eventSerializer.serialize(Topics.AUTH_EVENTS_RAW.name(), event), event.getType());
    }

    /**
     * Sends every event to {@code auth.events.raw} and every dead letter to
     * {@code auth.events.deadletter}; the future fails if any of them is not acknowledged.
     */
    public CompletableFuture<Void> publish(
            List<EncodedEvent> events, List<DeadLetter> deadLetters, Instant receivedAt) {
        Acks acks = new Acks(events.size() + deadLetters.size());
        int sent = 0;
        try {
            for (EncodedEvent event : events) {
                producer.send(new ProducerRecord<>(Topics.AUTH_EVENTS_RAW.name(), event.key(), event.value()), acks);
                sent++;
            }
            byte[] received = receivedAt.toString().getBytes(StandardCharsets.UTF_8);
            for (DeadLetter deadLetter : deadLetters) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(
                        Topics.AUTH_EVENTS_DEADLETTER.name(), deadLetter.source(), deadLetter.payload());
                record.headers()
                        .add(new RecordHeader(
                                DeadLetterHeaders.REASON,
                                deadLetter
                                        .reason()
                                        .describe(deadLetter.detail())
                                        .getBytes(StandardCharsets.UTF_8)));
                record.headers()
                        .add(new RecordHeader(
                                DeadLetterHeaders.CODE,
                                deadLetter.reason().code().getBytes(StandardCharsets.UTF_8)));
                record.headers()
                        .add(new RecordHeader(
                                DeadLetterHeaders.SOURCE, deadLetter.source().getBytes(StandardCharsets.UTF_8)));
                record.headers().add(new RecordHeader(DeadLetterHeaders.RECEIVED_AT, received));
                producer.send(record, acks);
                sent++;
            }
        } catch (RuntimeException e) {
            // A send refused at once (a record over max.request.size, say): the request fails as a
            // whole, once the records already sent are acknowledged or failed.
            acks.refused(events.size() + deadLetters.size() - sent, e);
        }
        return acks.all;
    }

    /**
     * The acks of one request's records: {@link #all} completes when every record is acknowledged,
     * or fails with the first error once every record is acknowledged or failed (as
     * {@code CompletableFuture.allOf} of one future per record did, without a future per record).
     */
    private static final class Acks implements Callback {

        final CompletableFuture<Void> all = new CompletableFuture<>();
        private final AtomicInteger pending;
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        Acks(int records) {
            pending = new AtomicInteger(records);
            if (records == 0) {
                all.complete(null);
            }
        }

        @Override
        public void onCompletion(RecordMetadata metadata, Exception error) {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            settle(1);
        }

        /** {@code unsent} records will never be sent: the request fails with {@code error}. */
        void refused(int unsent, RuntimeException error) {
            failure.compareAndSet(null, error);
            settle(unsent);
        }

        private void settle(int records) {
            if (pending.addAndGet(-records) == 0) {
                Exception error = failure.get();
                if (error == null) {
                    all.complete(null);
                } else {
                    all.completeExceptionally(error);
                }
            }
        }
    }

    /** Sends one record the caller encoded (a provisioning request, say); the future completes on its ack. */
    public CompletableFuture<Void> publish(String topic, String key, byte[] value) {
        Acks acks = new Acks(1);
        try {
            producer.send(new ProducerRecord<>(topic, key, value), acks);
        } catch (RuntimeException e) {
            acks.refused(1, e);
        }
        return acks.all;
    }

    /** The largest record the producer sends ({@code max.request.size}): a dead letter above it cannot be kept. */
    public int maxRecordBytes() {
        return maxRequestSize;
    }

    /** Whether a broker answers within {@code timeout}: the readiness check. */
    public boolean brokerReachable(Duration timeout) {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
