package io.authstream.registry;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's durable state: a single-partition, compacted topic (Confluent's {@code _schemas}
 * layout: JSON keys and values), replayed from the start when the registry starts and appended to
 * synchronously on every change, so an id is only handed out once the broker has it.
 */
final class KafkaSchemaLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSchemaLog.class);

    private final String topic;
    private final Map<String, Object> clientConfig;
    private final Duration timeout;
    private final KafkaProducer<String, String> producer;

    KafkaSchemaLog(String topic, Map<String, Object> clientConfig, Duration timeout) {
        this.topic = topic;
        this.clientConfig = Map.copyOf(clientConfig);
        this.timeout = timeout;
        Properties producerProps = new Properties();
        producerProps.putAll(clientConfig);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "schema-registry-store");
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        producerProps.put(
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(timeout.toMillis(), 5_000L)));
        producerProps.put(
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 5_000L)));
        this.producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
    }

    /** Creates the topic (1 partition, compacted) unless it exists. */
    void ensureTopic() {
        Properties adminProps = new Properties();
        adminProps.putAll(clientConfig);
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        try (Admin admin = Admin.create(adminProps)) {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (existing.contains(topic)) {
                return;
            }
            int brokers = admin.describeCluster()
                    .nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .size();
            NewTopic newTopic = new NewTopic(topic, 1, (short) Math.min(3, brokers))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created schema store topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create the schema store topic " + topic + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer within " + timeout + " while preparing the schema store topic " + topic
                            + " (is kafkastore.bootstrap.servers right?)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the schema store topic", e);
        }
    }

    /** Feeds every record of the topic, oldest first, to {@code apply} (value null for tombstones). */
    void replay(BiConsumer<String, String> apply) {
        Properties consumerProps = new Properties();
        consumerProps.putAll(clientConfig);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.CLIENT_ID_CONFIG, "schema-registry-store-reader");
        TopicPartition partition = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            long deadline = System.nanoTime() + timeout.toNanos();
            int count = 0;
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the schema store topic " + topic + " to offset "
                            + end + " within " + timeout);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply.accept(record.key(), record.value());
                    count++;
                }
            }
            LOG.info("replayed {} records of schema store topic {}", count, topic);
        }
    }

    /** Writes one record and waits until the broker has acknowledged it. */
    void append(String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, 0, key, value)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw RegistryException.storeUnavailable(
                    "Kafka refused the write: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw RegistryException.storeUnavailable("Kafka did not acknowledge the write within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RegistryException.storeUnavailable("interrupted");
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
