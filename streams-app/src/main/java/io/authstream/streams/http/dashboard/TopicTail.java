package io.authstream.streams.http.dashboard;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of one topic on a thread of its own, without a consumer group (each
 * instance of the app reads all of it, so any instance answers; nothing is committed), and hands
 * each record to {@code handler}. Only committed records are read: the Streams app writes its
 * outputs in transactions. {@code onCaughtUp} runs on that thread, between the records that were
 * on the topic at start and the next ones.
 */
final class TopicTail implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopicTail.class);

    /** Where to start: the first records kept, or up to {@code n} records before each partition's end. */
    sealed interface Start {
        record Beginning() implements Start {}

        record LastRecords(long n) implements Start {}
    }

    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Start start;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final Runnable onCaughtUp;
    private final Thread thread;
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile boolean running = true;

    TopicTail(
            Map<String, Object> clientConfig,
            String topic,
            Start start,
            Consumer<ConsumerRecord<byte[], byte[]>> handler,
            Runnable onCaughtUp) {
        this.topic = topic;
        this.start = start;
        this.handler = handler;
        this.onCaughtUp = onCaughtUp;
        Properties props = new Properties();
        props.putAll(clientConfig);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dashboard-" + topic);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Asking for a missing topic's partitions must not create it with the broker's defaults
        // (the catalogue's retention and record limits would be lost): it waits for the topic instead.
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "dashboard-" + topic);
        thread.setDaemon(true);
    }

    TopicTail start() {
        thread.start();
        return this;
    }

    /** True once the records that were on the topic at start have been handed over. */
    boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
        return caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void run() {
        try {
            List<TopicPartition> partitions = partitions();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            if (start instanceof Start.LastRecords last) {
                Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions);
                for (TopicPartition partition : partitions) {
                    consumer.seek(partition, Math.max(begins.get(partition), ends.get(partition) - last.n()));
                }
            } else {
                consumer.seekToBeginning(partitions);
            }
            Map<TopicPartition, Long> behind = new HashMap<>(ends);
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    try {
                        handler.accept(record);
                    } catch (RuntimeException e) {
                        // One unreadable record must not stop the page's view of the others.
                        LOG.warn(
                                "{}-{}@{} skipped by the dashboard: {}",
                                topic,
                                record.partition(),
                                record.offset(),
                                e.toString());
                    }
                }
                if (caughtUp.getCount() > 0) {
                    behind.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                    if (behind.isEmpty()) {
                        onCaughtUp.run();
                        caughtUp.countDown();
                    }
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } catch (RuntimeException e) {
            LOG.error("the dashboard stopped reading {}: {}", topic, e.toString());
        } finally {
            consumer.close();
        }
    }

    /** The topic's partitions; waits for the topic to exist (the app may start before it is created). */
    private List<TopicPartition> partitions() {
        while (running) {
            List<PartitionInfo> infos;
            try {
                infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                infos = List.of();
            }
            if (infos != null && !infos.isEmpty()) {
                return infos.stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            }
        }
        throw new WakeupException();
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
