package io.authstream.teststack;

import io.authstream.embedded.EmbeddedDynamoDb;
import io.authstream.embedded.FreePorts;
import io.authstream.embedded.TopicCreator;
import io.authstream.registry.RegistryConfig;
import io.authstream.registry.SchemaRegistryServer;
import io.authstream.schemas.Topic;
import io.authstream.schemas.serde.AvroSerdeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What a test gets from {@link StackExtension}: a real Kafka (see {@link KafkaBackends}), a
 * schema registry on it, and DynamoDB Local, shared by every test class of the JVM. Tests keep out
 * of each other's way by using {@link #uniqueTopic} names.
 */
public final class TestStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TestStack.class);

    private final KafkaBackend kafka;
    private final SchemaRegistryServer registry;
    private final EmbeddedDynamoDb dynamoDb;

    private static TestStack shared;

    /**
     * The JVM's one test stack, started on first use and stopped when the JVM exits. For test
     * engines that cannot take JUnit extensions (jqwik); JUnit tests use {@link StackExtension}.
     */
    public static synchronized TestStack shared() {
        if (shared == null) {
            shared = new TestStack();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-stack-shutdown"));
        }
        return shared;
    }

    private TestStack() {
        long started = System.nanoTime();
        kafka = KafkaBackends.select();
        SchemaRegistryServer startedRegistry = null;
        try {
            startedRegistry = new SchemaRegistryServer(RegistryConfig.of("127.0.0.1", 0, kafka.bootstrapServers())
                            .withStoreTopic(storeTopicFor(kafka)))
                    .start();
            dynamoDb = new EmbeddedDynamoDb(FreePorts.next(), Optional.empty()).start();
        } catch (RuntimeException e) {
            if (startedRegistry != null) {
                startedRegistry.close();
            }
            kafka.close();
            throw e;
        }
        registry = startedRegistry;
        LOG.info(
                "test stack ready in {} ms: kafka {} at {}, registry {}, dynamodb {}",
                (System.nanoTime() - started) / 1_000_000,
                kafka.name(),
                kafka.bootstrapServers(),
                registry.url(),
                dynamoDb.endpoint());
    }

    /** On someone else's cluster, keep clear of a real registry's {@code _schemas}. */
    private static String storeTopicFor(KafkaBackend kafka) {
        return kafka instanceof ExternalKafkaBackend ? "_authstream_test_schemas" : "_schemas";
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public KafkaBackend kafka() {
        return kafka;
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    public String dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    /** A DynamoDB client for DynamoDB Local (the caller closes it). */
    public DynamoDbClient dynamoDbClient() {
        return dynamoDb.client();
    }

    /** Kafka client settings pointing at this stack; add the rest. */
    public Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }

    /** Serde settings pointing at this stack's registry. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl());
        return config;
    }

    public Admin admin() {
        return Admin.create(clientConfig());
    }

    /** A topic name no other test uses, e.g. {@code serde-roundtrip-3f2a...}. */
    public static String uniqueTopic(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Creates plain topics with one partition. */
    public void createTopics(String... names) {
        try (Admin admin = admin()) {
            admin.createTopics(java.util.Arrays.stream(names)
                            .map(n -> new NewTopic(n, 1, (short) 1))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + String.join(", ", names), e);
        }
    }

    /** Creates catalogue topics that are missing, with their catalogue settings. */
    public void createTopics(List<Topic<?, ?>> topics, int partitions) {
        try (Admin admin = admin()) {
            TopicCreator.createMissing(admin, topics, partitions, (short) 1);
        }
    }

    /** Writes {@code values} (keyed by their position) and waits for every ack. */
    public <V> void produce(String topic, Serializer<V> serializer, List<V> values) {
        Map<String, Object> config = clientConfig();
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(config, new StringSerializer(), serializer)) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), values.get(i)))
                        .get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads {@code topic} from the beginning, in a fresh consumer group, until {@code count}
     * records arrived or 30 s passed; fails if fewer arrived.
     */
    public <V> List<ConsumerRecord<String, V>> consume(String topic, Deserializer<V> deserializer, int count) {
        Map<String, Object> config = clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, uniqueTopic("test-reader"));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        if (records.size() < count) {
            throw new AssertionError(
                    "expected " + count + " records on " + topic + " within 30 s, got " + records.size());
        }
        return records;
    }

    /** Every record on {@code topic} now, from the beginning of each partition to its current end. */
    public <V> List<ConsumerRecord<String, V>> consumeAll(String topic, Deserializer<V> deserializer) {
        Map<String, Object> config = clientConfig();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(config, new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "could not read " + topic + " to its end offsets " + ends + " within 30 s");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    @Override
    public void close() {
        try {
            registry.close();
            dynamoDb.close();
        } finally {
            kafka.close();
        }
    }
}
