package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.teststack.LogCapture;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * No acknowledged event is lost when Kafka goes away: clients post uniquely numbered events
 * through the gateway while the broker is stopped and restarted (same port, same log
 * directory), and the Streams app keeps running through it; every batch answered 503 or cut off
 * is retried with the same ids until it is accepted. Afterwards every acknowledged event is on
 * auth.events.raw (copies from retries allowed, counted) and exactly once on
 * auth.events.ordered, after the Streams app's dedup, and the Streams app is still running.
 */
@ExtendWith(StackExtension.class)
class BrokerOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerOutageIT.class);

    private final TestStack stack;

    BrokerOutageIT(TestStack stack) {
        this.stack = stack;
    }

    @Test
    void everyAcknowledgedEventSurvivesBrokerRestartsAndComesOutOnceAfterDedup() throws Exception {
        Assumptions.assumeTrue(stack.kafka().canStop(), "needs a broker this test can stop");
        int events = ReliabilityFigures.get("events", 3000);
        int outages = ReliabilityFigures.get("outages", 1);
        Duration outage = Duration.ofSeconds(ReliabilityFigures.get("outageSeconds", 4));
        stack.createTopics(Topics.ALL, 3);
        String run = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        String token = "Bearer " + UUID.randomUUID();
        Map<String, String> env = TestEnvironments.logStreamPipeline("outage-it", token);
        env.put("GATEWAY_ACK_TIMEOUT_MS", "1500");
        env.put("GATEWAY_RETRY_AFTER_SECONDS", "1");
        env.put("KAFKA_PRODUCER_MAX_BLOCK_MS", "1000");
        // The Streams app's producer waits 60 s for metadata by default; an outage outlasting its
        // wait kills the stream thread, which must then be replaced. A short wait makes the short
        // outages of this test do that too.
        env.put("KAFKA_STREAMS_PRODUCER_MAX_BLOCK_MS", "1000");
        env.put("KAFKA_STREAMS_TASK_TIMEOUT_MS", "0");
        // The dead thread's consumer does not leave the group: the new one joins when its session ends.
        env.put("KAFKA_STREAMS_SESSION_TIMEOUT_MS", "10000");
        LocalEndpoints endpoints = TestEnvironments.endpoints(stack);

        try (LogCapture logs = LogCapture.start();
                LocalGateway gateway =
                        LocalGateway.startIfConfigured(env, endpoints).orElseThrow();
                LocalStreamsApp streams =
                        LocalStreamsApp.start(env, endpoints, Files.createTempDirectory("outage-it"))) {
            await().atMost(Duration.ofMinutes(1)).until(() -> streams.state() == KafkaStreams.State.RUNNING);
            LogStreamLoad load = new LogStreamLoad(gateway.url(), token, run, 40);
            CompletableFuture<Void> posting = CompletableFuture.runAsync(() -> {
                try {
                    load.run(events, 10, 8, Duration.ofMinutes(3));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            List<Long> processedAtOutage = new ArrayList<>();
            for (int i = 1; i <= outages; i++) {
                int before = events * i / (outages + 1);
                long processedBefore = streams.processed();
                // Each outage finds the Streams app mid-work, not idle between two of them.
                await().atMost(Duration.ofMinutes(2))
                        .until(() -> load.acked.size() >= before && streams.processed() > processedBefore
                                || posting.isDone());
                processedAtOutage.add(streams.processed());
                stack.kafka().stop();
                Thread.sleep(outage.toMillis()); // the outage itself: clients keep posting into it
                stack.kafka().restart();
            }
            posting.get();

            List<ConsumerRecord<String, AuthEvent>> raw = records(Topics.AUTH_EVENTS_RAW.name(), run);
            Map<String, Long> rawCopies =
                    raw.stream().collect(Collectors.groupingBy(r -> r.value().getEventId(), Collectors.counting()));
            assertThat(load.acked).hasSize(events).isEqualTo(load.sent);
            assertThat(rawCopies.keySet())
                    .as("every acknowledged event on the raw topic")
                    .containsAll(load.acked);
            assertThat(load.unavailable.get() + load.connectionErrors.get())
                    .as("the outage was felt by the clients")
                    .isPositive();

            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> records(Topics.AUTH_EVENTS_ORDERED.name(), run).size() >= events);
            List<String> ordered = records(Topics.AUTH_EVENTS_ORDERED.name(), run).stream()
                    .map(r -> r.value().getEventId())
                    .toList();
            assertThat(ordered).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(load.acked);
            assertThat(streams.state())
                    .as("the Streams app came through the outages")
                    .isEqualTo(KafkaStreams.State.RUNNING);
            LOG.info(
                    "reliability figures (broker outage): events sent {}, acked {}, requests {}, 503 answers {}, "
                            + "connection errors {}, broker outages {} of {} s, raw records {}, raw duplicates {}, "
                            + "ordered {}, ordered duplicates {}, records processed by the Streams app at each outage {}, "
                            + "stream threads replaced {}",
                    load.sent.size(),
                    load.acked.size(),
                    load.requests.get(),
                    load.unavailable.get(),
                    load.connectionErrors.get(),
                    outages,
                    outage.toSeconds(),
                    raw.size(),
                    raw.size() - rawCopies.size(),
                    ordered.size(),
                    ordered.size() - ordered.stream().distinct().count(),
                    processedAtOutage,
                    streams.replacedThreads());
            assertThat(logs.linesContainingAny(List.of(token.substring("Bearer ".length()))))
                    .isEmpty();
        }
    }

    private List<ConsumerRecord<String, AuthEvent>> records(String topic, String run) {
        return stack.consumeAll(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())).stream()
                .filter(r -> r.value().getEventId().startsWith(run + "-"))
                .toList();
    }
}
