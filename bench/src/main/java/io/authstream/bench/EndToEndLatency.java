package io.authstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.authstream.embedded.ChildJvm;
import io.authstream.embedded.EmbeddedStack;
import io.authstream.embedded.FreePorts;
import io.authstream.gateway.GatewayMain;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.serde.AvroDeserializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Events posted through the gateway at a fixed rate, each timed from the gateway's ack (the 200
 * answer) to its arrival on auth.events.ordered, and attacks (10 failed logins against a fresh
 * account, five per second) timed from the ack of the failure that crossed the threshold to the
 * brute-force alert on auth.security.alerts. Consumers read committed records only, as any
 * downstream consumer of an exactly-once app must.
 *
 * <p>The reorder buffer holds each event until the stream time has passed it by the grace, so the
 * load goes on for grace + 2 s after the measured window, unmeasured: otherwise the last grace's
 * events would wait for the wall-clock release, a measuring artefact rather than the pipeline's.
 */
final class EndToEndLatency {

    record Leg(String topic, long count, long missing, double p50Ms, double p99Ms, double p999Ms, double maxMs) {}

    record Result(List<Leg> paths, double gatewayPeakRssMiB) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TICKS_PER_SECOND = 100;
    private static final int ATTACK_FAILURES = 10;
    /** Five attacks a second: enough alerts in a short run for a p99. */
    private static final int ATTACK_EVERY_TICKS = 20;

    private EndToEndLatency() {}

    static Result run(EmbeddedStack stack, Path logs, int eventsPerSecond, int seconds, Duration grace)
            throws Exception {
        String token = "Bearer " + UUID.randomUUID();
        int port = FreePorts.next();
        Map<String, String> env = Map.of(
                "GATEWAY_PORT",
                Integer.toString(port),
                "KAFKA_BOOTSTRAP_SERVERS",
                stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL",
                stack.schemaRegistryUrl(),
                "AUTH0_LOG_STREAM_AUTHORIZATION",
                token);
        Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        Map<String, Long> orderedAt = new ConcurrentHashMap<>();
        Map<String, Alerted> alertedAt = new ConcurrentHashMap<>();
        Set<String> measured = ConcurrentHashMap.newKeySet();
        Set<String> attackedAccounts = ConcurrentHashMap.newKeySet();
        AtomicBoolean consuming = new AtomicBoolean(true);
        Thread ordered = follow(
                stack,
                Topics.AUTH_EVENTS_ORDERED.name(),
                AuthEvent.class,
                consuming,
                event -> orderedAt.putIfAbsent(event.getEventId(), System.nanoTime()));
        Thread alerts = follow(stack, Topics.AUTH_SECURITY_ALERTS.name(), SecurityAlert.class, consuming, alert -> {
            if ("brute-force".equals(alert.getRuleId()) && alert.getUserId() != null) {
                // The last evidence is the failure that crossed the threshold.
                alertedAt.putIfAbsent(
                        alert.getUserId(),
                        new Alerted(
                                System.nanoTime(),
                                alert.getEvidence().get(alert.getEvidence().size() - 1)));
            }
        });
        double peakRss;
        try (ChildJvm gateway = ChildJvms.start("gateway-e2e", GatewayMain.class, env, logs)
                .awaitOutput("authstream gateway listening on", Duration.ofSeconds(60))) {
            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI url = URI.create("http://127.0.0.1:" + port + GatewayServer.LOG_STREAM_PATH);
            String run = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
            int perTick = Math.max(1, eventsPerSecond / TICKS_PER_SECOND);
            long measuredTicks = (long) seconds * TICKS_PER_SECOND;
            long totalTicks = measuredTicks + (grace.toMillis() + 2_000) * TICKS_PER_SECOND / 1000;
            AtomicLong tick = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            clock.scheduleAtFixedRate(
                    () -> {
                        long t = tick.getAndIncrement();
                        if (t >= totalTicks) {
                            return;
                        }
                        boolean inWindow = t < measuredTicks;
                        post(
                                http,
                                url,
                                token,
                                normalBody(run, t * perTick, perTick),
                                inWindow,
                                ackedAt,
                                measured,
                                failed);
                        if (t % ATTACK_EVERY_TICKS == 0) {
                            long attack = t / ATTACK_EVERY_TICKS;
                            String account = run + "-victim-" + attack;
                            if (inWindow) {
                                attackedAccounts.add("auth0|" + account);
                            }
                            post(
                                    http,
                                    url,
                                    token,
                                    attackBody(run, account, attack),
                                    inWindow,
                                    ackedAt,
                                    measured,
                                    failed);
                        }
                        if (t % (5 * TICKS_PER_SECOND) == 0) {
                            System.out.printf("  %d s, %d events acked%n", t / TICKS_PER_SECOND, ackedAt.size());
                        }
                    },
                    0,
                    1_000_000 / TICKS_PER_SECOND,
                    TimeUnit.MICROSECONDS);
            while (tick.get() < totalTicks) {
                Thread.sleep(100);
            }
            clock.shutdown();
            clock.awaitTermination(10, TimeUnit.SECONDS);
            // Let the last measured events through: they wait for the grace, then one commit.
            long drainUntil = System.nanoTime() + grace.toNanos() + TimeUnit.SECONDS.toNanos(15);
            while (System.nanoTime() < drainUntil && !orderedAt.keySet().containsAll(measured)) {
                Thread.sleep(200);
            }
            if (failed.get() > 0) {
                System.out.printf("  %d requests failed%n", failed.get());
            }
            peakRss = gateway.peakRssMiB();
        } finally {
            consuming.set(false);
            ordered.join();
            alerts.join();
        }

        Histogram toOrdered = new Histogram(3);
        long missingOrdered = 0;
        for (String id : measured) {
            Long seen = orderedAt.get(id);
            if (seen == null) {
                missingOrdered++;
            } else {
                toOrdered.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMillis(seen - ackedAt.get(id))));
            }
        }
        Histogram toAlerts = new Histogram(3);
        long alertsFound = 0;
        for (String account : attackedAccounts) {
            Alerted alert = alertedAt.get(account);
            Long acked = alert == null ? null : ackedAt.get(alert.crossingEventId());
            if (acked != null) {
                alertsFound++;
                toAlerts.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMillis(alert.at() - acked)));
            }
        }
        return new Result(
                List.of(
                        leg(Topics.AUTH_EVENTS_ORDERED.name(), toOrdered, missingOrdered),
                        leg(
                                Topics.AUTH_SECURITY_ALERTS.name() + " (brute force)",
                                toAlerts,
                                attackedAccounts.size() - alertsFound)),
                peakRss);
    }

    private static Leg leg(String topic, Histogram latency, long missing) {
        return new Leg(
                topic,
                latency.getTotalCount(),
                missing,
                latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9),
                latency.getMaxValue());
    }

    /** Posts a body; when the gateway answers 200, every event in it counts as acked now. */
    private static void post(
            HttpClient http,
            URI url,
            String token,
            Body body,
            boolean inWindow,
            Map<String, Long> ackedAt,
            Set<String> measured,
            AtomicLong failed) {
        http.sendAsync(
                        HttpRequest.newBuilder(url)
                                .header("Authorization", token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.json()))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> {
                    long now = System.nanoTime();
                    if (error != null || response.statusCode() != 200) {
                        failed.incrementAndGet();
                        return;
                    }
                    for (String id : body.eventIds()) {
                        ackedAt.put(id, now);
                        if (inWindow) {
                            measured.add(id);
                        }
                    }
                });
    }

    private record Body(byte[] json, List<String> eventIds) {}

    private record Alerted(long at, String crossingEventId) {}

    /** Sign-ins of 1000 users, event time now. */
    private static Body normalBody(String run, long first, int count) {
        ArrayNode records = JSON.createArrayNode();
        Instant now = Instant.now();
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            records.add(LoadGenerator.logRecord(run, first + i, now, n -> "s"));
            ids[i] = run + "-" + (first + i);
        }
        return new Body(bytes(records), List.of(ids));
    }

    /** {@link #ATTACK_FAILURES} failed logins against one account from one address: one brute-force alert. */
    private static Body attackBody(String run, String account, long attack) {
        ArrayNode records = JSON.createArrayNode();
        Instant now = Instant.now();
        String[] ids = new String[ATTACK_FAILURES];
        for (int i = 0; i < ATTACK_FAILURES; i++) {
            String id = run + "-attack-" + attack + "-" + i;
            var record = records.addObject().put("log_id", id);
            record.putObject("data")
                    .put("date", now.plusMillis(i).toString())
                    .put("type", "fp")
                    .put("user_id", "auth0|" + account)
                    .put("user_name", account + "@example.com")
                    .put("ip", "203.0.113." + (attack % 250))
                    .put("client_id", "aI61p8I8aFjmYRliLWgvM9ev97kCCNDB")
                    .put("connection", "Username-Password-Authentication")
                    .put("description", "Wrong email or password.");
            ids[i] = id;
        }
        return new Body(bytes(records), List.of(ids));
    }

    private static byte[] bytes(ArrayNode records) {
        try {
            return JSON.writeValueAsBytes(records);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A read_committed consumer from the current end of {@code topic}, calling {@code seen} per value. */
    private static <T> Thread follow(
            EmbeddedStack stack, String topic, Class<T> type, AtomicBoolean running, Consumer<T> seen) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(
                config,
                new StringDeserializer(),
                new AvroDeserializer<>(type, Map.of("schema.registry.url", stack.schemaRegistryUrl())));
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread thread = new Thread(
                () -> {
                    try (consumer) {
                        while (running.get()) {
                            for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(50))) {
                                if (record.value() != null) {
                                    seen.accept(record.value());
                                }
                            }
                        }
                    }
                },
                "follow-" + topic);
        thread.start();
        return thread;
    }
}
