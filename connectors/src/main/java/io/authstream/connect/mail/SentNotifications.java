package io.authstream.connect.mail;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * The notifications already mailed, kept on a compacted topic (key: notification id, value: the
 * Message-ID) and held in memory: read to its end when the task starts and whenever it is given
 * partitions (another task may have mailed a notification of those partitions since), and written,
 * acknowledged by every in-sync replica, right after the SMTP server took a mail and before its
 * offset can be committed.
 *
 * <p>So a replay of auth.notifications, a reset of the connector's offsets or a restart mails
 * nobody twice. One window remains: a crash after the server took the mail and before the record
 * was acknowledged; that one notification is mailed again, with the same Message-ID.
 */
final class SentNotifications implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String topic;
    private final KafkaConsumer<String, String> consumer;
    private final KafkaProducer<String, String> producer;
    private final Set<String> sent = new HashSet<>();

    private SentNotifications(
            String topic, KafkaConsumer<String, String> consumer, KafkaProducer<String, String> producer) {
        this.topic = topic;
        this.consumer = consumer;
        this.producer = producer;
    }

    /**
     * Opens the topic, which must exist and be compacted: on a time-retained topic the records
     * would expire and old notifications, replayed, be mailed again.
     */
    static SentNotifications open(String topic, Map<String, Object> clientConfig) {
        checkCompacted(topic, clientConfig);
        Map<String, Object> consumerConfig = new HashMap<>(clientConfig);
        consumerConfig.put("enable.auto.commit", "false");
        consumerConfig.put("isolation.level", "read_committed");
        consumerConfig.put("client.id", "welcome-mail-sent-reader-" + System.identityHashCode(consumerConfig));
        Map<String, Object> producerConfig = new HashMap<>(clientConfig);
        producerConfig.put("acks", "all");
        producerConfig.put("enable.idempotence", "true");
        producerConfig.put("linger.ms", "0");
        KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer());
        KafkaProducer<String, String> producer = null;
        try {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, READ_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                throw new ConnectException("the sent topic " + topic + " does not exist; create it compacted "
                        + "(cleanup.policy=compact)");
            }
            consumer.assign(partitions.stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList());
            consumer.seekToBeginning(consumer.assignment());
            producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
            SentNotifications notifications = new SentNotifications(topic, consumer, producer);
            notifications.catchUp();
            return notifications;
        } catch (RuntimeException e) {
            consumer.close();
            if (producer != null) {
                producer.close();
            }
            throw e;
        }
    }

    private static void checkCompacted(String topic, Map<String, Object> clientConfig) {
        try (Admin admin = Admin.create(clientConfig)) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
            String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.equals(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                throw new ConnectException("the sent topic " + topic + " has cleanup.policy=" + policy
                        + "; it must be compact alone, or its records expire and replayed notifications are mailed "
                        + "again");
            }
        } catch (ExecutionException e) {
            throw new ConnectException(
                    "cannot read the configs of the sent topic " + topic + " (does it exist?): "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new ConnectException(
                    "cannot read the configs of the sent topic " + topic + " within " + READ_TIMEOUT.toSeconds() + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted reading the configs of the sent topic " + topic, e);
        }
    }

    /** Reads what was written since the last read, up to the topic's end offsets now. */
    void catchUp() {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment(), READ_TIMEOUT);
        long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey(), READ_TIMEOUT) < e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new ConnectException("could not read the sent topic " + topic + " to its end within "
                        + READ_TIMEOUT.toSeconds() + " s");
            }
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.value() == null) {
                    sent.remove(record.key());
                } else {
                    sent.add(record.key());
                }
            }
        }
    }

    boolean contains(String notificationId) {
        return sent.contains(notificationId);
    }

    int size() {
        return sent.size();
    }

    /** Records a mail the server took; returns once the record is on every in-sync replica. */
    void record(String notificationId, String messageId) {
        try {
            producer.send(new ProducerRecord<>(topic, notificationId, messageId))
                    .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new ConnectException(
                    "the mail of " + notificationId + " was sent but could not be recorded on " + topic
                            + "; it may be mailed again after a restart",
                    e instanceof ExecutionException ? e.getCause() : e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted recording the mail of " + notificationId, e);
        }
        sent.add(notificationId);
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
