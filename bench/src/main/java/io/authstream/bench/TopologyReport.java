package io.authstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.embedded.ChildJvm;
import io.authstream.embedded.EmbeddedStack;
import io.authstream.embedded.FreePorts;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventKeys;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.streams.StreamsMain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Topology throughput and end-to-end latency.
 *
 * <ol>
 *   <li>A backlog of recent events (Auth0 sign-ins and failures of 1000 users from 250 addresses, event
 *       times shuffled within blocks of 50, one in 100 sent twice) is written to auth.events.raw.</li>
 *   <li>Baseline: {@link PassThroughApp} (exactly-once Kafka Streams copying the topic as bytes)
 *       consumes the backlog in its own process; then the Streams app with the full topology does
 *       the same. Throughput is measured from the committed offsets: from 10% of the backlog
 *       (start-up does not count) until the backlog and the app's repartition topics are
 *       consumed.</li>
 *   <li>With the full topology still running, {@link EndToEndLatency} posts events through the
 *       gateway (its own process) and times each from its ack to its arrival on
 *       auth.events.ordered and auth.security.alerts.</li>
 *   <li>Peak RSS and CPU of each app.</li>
 * </ol>
 * Prints a table and writes {@code topology.csv} and {@code topology.svg}. Arguments:
 * {@code [output directory] [backlog events] [seconds of end-to-end load] [events/s of that load]}.
 */
public final class TopologyReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASS_THROUGH_TOPIC = "bench.pass-through";
    private static final double THROUGHPUT_TARGET = 0.5;
    private static final long GRACE_MS = 5_000;

    /** Backlog consumption by one app: events/s between 10% and 90%, CPU and peak RSS of its process. */
    record Consumption(String app, double eventsPerSecond, double cpuSeconds, double peakRssMiB) {}

    private TopologyReport() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 1_000;
        Path logs = results.resolve("logs");
        GeneratedClasses.trust();
        try (EmbeddedStack stack = BenchStack.start(step -> System.out.println("  " + step));
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            Path data = stack.settings().dataDir();
            admin.createTopics(List.of(new NewTopic(PASS_THROUGH_TOPIC, 3, (short) 1)))
                    .all()
                    .get();
            long records = writeBacklog(stack, backlog);
            OffsetWatch watch = new OffsetWatch(admin);

            System.out.println(
                    "baseline: pass-through exactly-once Kafka Streams app (its own process) consumes the backlog ...");
            Consumption passThrough;
            String passThroughId = "bench-pass-through-" + UUID.randomUUID();
            try (ChildJvm app = ChildJvms.start(
                            "pass-through",
                            PassThroughApp.class,
                            Map.of(),
                            logs,
                            stack.bootstrapServers(),
                            passThroughId,
                            data.resolve("pass-through-state").toString(),
                            PASS_THROUGH_TOPIC)
                    .awaitOutput(PassThroughApp.READY, Duration.ofSeconds(60))) {
                double eventsPerSecond = watch.consume(passThroughId, records, Duration.ofMinutes(10));
                passThrough =
                        new Consumption("pass-through (baseline)", eventsPerSecond, app.cpuSeconds(), app.peakRssMiB());
            }

            System.out.println("full topology: the Streams app (its own process) consumes the same backlog ...");
            String appId = "bench-topology-" + UUID.randomUUID();
            Map<String, String> env = StreamsAppEnv.of(stack, appId, data.resolve("streams-state"), FreePorts.next());
            env.put("REORDER_GRACE_MS", Long.toString(GRACE_MS));
            // The full topology as deployed: GeoIP and user agent enrichment on.
            env.put("GEOIP_DATABASE", StreamsAppEnv.geoIpDatabases());
            Consumption full;
            EndToEndLatency.Result latency;
            double streamsPeakRss;
            try (ChildJvm app = ChildJvms.start("streams-app", StreamsMain.class, env, logs)
                    .awaitOutput("health, metrics and analytics on", Duration.ofSeconds(60))) {
                double eventsPerSecond = watch.consume(appId, records, Duration.ofMinutes(30));
                full = new Consumption("full topology", eventsPerSecond, app.cpuSeconds(), app.peakRssMiB());

                System.out.printf(
                        "end-to-end: %d events/s through the gateway for %d s, the Streams app keeps running ...%n",
                        rate, seconds);
                latency = EndToEndLatency.run(stack, logs, rate, seconds, Duration.ofMillis(GRACE_MS));
                streamsPeakRss = app.peakRssMiB();
            }
            print(records, passThrough, full, latency, streamsPeakRss);
            write(results, records, passThrough, full, latency, streamsPeakRss);
        }
    }

    /**
     * Sign-ins (4 in 5) and failed logins of 1000 users from 250 addresses, one millisecond apart
     * in event time but shuffled within blocks of 50, every 100th sent twice: what dedup and
     * reorder are for. Returns the number of records written.
     */
    static long writeBacklog(EmbeddedStack stack, int events) throws Exception {
        System.out.printf(
                "writing a backlog of %d events (plus 1 in 100 twice) to %s ...%n",
                events, Topics.AUTH_EVENTS_RAW.name());
        AvroSerializer<AuthEvent> serializer =
                new AvroSerializer<>(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        Random random = new Random(42);
        // Recent event times, as a backlog after an outage would have: window stores and their
        // changelogs (retention by record time) then behave as in production.
        Instant receivedAt = Instant.now();
        Instant start = receivedAt.minusMillis(events).minus(Duration.ofMinutes(1));
        long written = 0;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            List<Integer> block = new ArrayList<>();
            for (int first = 0; first < events; first += 50) {
                block.clear();
                for (int n = first; n < Math.min(events, first + 50); n++) {
                    block.add(n);
                }
                Collections.shuffle(block, random);
                for (int n : block) {
                    JsonNode record =
                            LoadGenerator.logRecord("backlog", n, start.plusMillis(n), i -> i % 5 == 0 ? "f" : "s");
                    AuthEvent event =
                            Auth0LogNormalizer.normalize(record, record.toString(), "auth0.log-stream", receivedAt);
                    ProducerRecord<String, byte[]> out = new ProducerRecord<>(
                            Topics.AUTH_EVENTS_RAW.name(),
                            EventKeys.of(event),
                            serializer.serialize(Topics.AUTH_EVENTS_RAW.name(), event));
                    int copies = n % 100 == 0 ? 2 : 1;
                    for (int c = 0; c < copies; c++) {
                        producer.send(out, (metadata, error) -> {
                            if (error != null) {
                                throw new IllegalStateException("backlog write failed", error);
                            }
                        });
                        written++;
                    }
                }
                if (first % 50_000 == 0 && first > 0) {
                    System.out.printf("  %d written%n", written);
                }
            }
            producer.flush();
        }
        System.out.printf("  %d records%n", written);
        return written;
    }

    /**
     * Follows a consumer group's committed offsets: on auth.events.raw, and on the app's own
     * repartition topics, which later sub-topologies consume. One stream thread serves them all,
     * so the backlog is only consumed when those are caught up too.
     */
    record OffsetWatch(Admin admin) {

        /**
         * Waits until {@code group} consumed all {@code records} and its repartition topics; returns
         * events/s from 10% of the backlog committed to the end, so start-up does not count.
         */
        double consume(String group, long records, Duration timeout) throws Exception {
            long rawEnd = endOffsets(List.of(Topics.AUTH_EVENTS_RAW.name())).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
            if (rawEnd < records) {
                throw new IllegalStateException(
                        "auth.events.raw holds " + rawEnd + " records, expected at least " + records);
            }
            List<String> repartition = admin.listTopics().names().get().stream()
                    .filter(t -> t.startsWith(group + "-") && t.endsWith("-repartition"))
                    .toList();
            long deadline = System.nanoTime() + timeout.toNanos();
            long t10 = 0;
            long lastPrint = 0;
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(
                                group, new ListConsumerGroupOffsetsOptions())
                        .partitionsToOffsetAndMetadata()
                        .get();
                long raw = committed.entrySet().stream()
                        .filter(e -> e.getKey().topic().equals(Topics.AUTH_EVENTS_RAW.name()) && e.getValue() != null)
                        .mapToLong(e -> e.getValue().offset())
                        .sum();
                // A transaction's commit marker takes an offset the consumer may not commit past: one per partition is
                // allowed.
                long downstreamLag = 0;
                for (Map.Entry<TopicPartition, Long> end :
                        endOffsets(repartition).entrySet()) {
                    OffsetAndMetadata done = committed.get(end.getKey());
                    downstreamLag += Math.max(0, end.getValue() - (done == null ? 0 : done.offset()) - 1);
                }
                long now = System.nanoTime();
                if (t10 == 0 && raw >= rawEnd / 10) {
                    t10 = now;
                }
                if (now - lastPrint > 5_000_000_000L) {
                    System.out.printf(
                            "  %d of %d committed, %d behind on the repartition topics%n", raw, rawEnd, downstreamLag);
                    lastPrint = now;
                }
                if (raw >= rawEnd && downstreamLag == 0) {
                    return (rawEnd - rawEnd / 10) / ((now - t10) / 1e9);
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(group + " did not consume the backlog within " + timeout);
        }

        private Map<TopicPartition, Long> endOffsets(List<String> topics) throws Exception {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (var topic : admin.describeTopics(topics).allTopicNames().get().values()) {
                topic.partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        }
    }

    private static void print(
            long records,
            Consumption passThrough,
            Consumption full,
            EndToEndLatency.Result latency,
            double streamsPeakRss) {
        double ratio = full.eventsPerSecond() / passThrough.eventsPerSecond();
        System.out.println();
        System.out.printf(
                "%-28s %12s %11s %14s %14s%n",
                "backlog of " + records, "events/s", "x baseline", "CPU us/event", "peak RSS MiB");
        for (Consumption c : List.of(passThrough, full)) {
            System.out.printf(
                    Locale.ROOT,
                    "%-28s %12.0f %11.2f %14.1f %14.0f%n",
                    c.app(),
                    c.eventsPerSecond(),
                    c.eventsPerSecond() / passThrough.eventsPerSecond(),
                    c.cpuSeconds() * 1e6 / records,
                    c.peakRssMiB());
        }
        System.out.println();
        System.out.printf(
                "%-40s %8s %8s %8s %8s %8s %8s%n",
                "end to end, from the gateway's ack", "events", "missing", "p50 ms", "p99 ms", "p99.9 ms", "max ms");
        for (EndToEndLatency.Leg path : latency.paths()) {
            System.out.printf(
                    Locale.ROOT,
                    "%-40s %8d %8d %8.0f %8.0f %8.0f %8.0f%n",
                    "to " + path.topic(),
                    path.count(),
                    path.missing(),
                    path.p50Ms(),
                    path.p99Ms(),
                    path.p999Ms(),
                    path.maxMs());
        }
        System.out.printf(
                Locale.ROOT,
                "%ntarget: topology >= %.2f x pass-through: %.2f x (%s)%n",
                THROUGHPUT_TARGET,
                ratio,
                ratio >= THROUGHPUT_TARGET ? "met" : "missed");
        for (EndToEndLatency.Leg path : latency.paths()) {
            System.out.printf(
                    Locale.ROOT,
                    "target: end-to-end p99 to %s <= grace + 300 ms = %d ms: %.0f ms (%s)%n",
                    path.topic(),
                    GRACE_MS + 300,
                    path.p99Ms(),
                    path.count() > 0 && path.missing() == 0 && path.p99Ms() <= GRACE_MS + 300 ? "met" : "missed");
        }
        System.out.printf(
                Locale.ROOT,
                "streams-app peak RSS: %.0f MiB, gateway peak RSS: %.0f MiB (%s)%n",
                streamsPeakRss,
                latency.gatewayPeakRssMiB(),
                ChildJvms.javaOpts());
    }

    private static void write(
            Path results,
            long records,
            Consumption passThrough,
            Consumption full,
            EndToEndLatency.Result latency,
            double streamsPeakRss)
            throws Exception {
        Files.createDirectories(results);
        StringBuilder csv =
                new StringBuilder("measure,events,events_per_second,ratio_to_baseline,cpu_us_per_event,p50_ms,p99_ms,"
                        + "p999_ms,max_ms,missing,peak_rss_mib\n");
        for (Consumption c : List.of(passThrough, full)) {
            csv.append(String.format(
                    Locale.ROOT,
                    "\"%s\",%d,%.0f,%.3f,%.1f,,,,,,%.0f%n",
                    c.app(),
                    records,
                    c.eventsPerSecond(),
                    c.eventsPerSecond() / passThrough.eventsPerSecond(),
                    c.cpuSeconds() * 1e6 / records,
                    c.peakRssMiB()));
        }
        for (EndToEndLatency.Leg path : latency.paths()) {
            csv.append(String.format(
                    Locale.ROOT,
                    "\"end to end to %s\",%d,,,,%.0f,%.0f,%.0f,%.0f,%d,%.0f%n",
                    path.topic(),
                    path.count(),
                    path.p50Ms(),
                    path.p99Ms(),
                    path.p999Ms(),
                    path.maxMs(),
                    path.missing(),
                    streamsPeakRss));
        }
        Files.writeString(results.resolve("topology.csv"), csv);
        List<SvgBarChart.Bar> bars = List.of(passThrough, full).stream()
                .map(c -> new SvgBarChart.Bar(
                        c.app(),
                        c.eventsPerSecond() / passThrough.eventsPerSecond(),
                        String.format(
                                Locale.ROOT,
                                "%.2f x (%.0f/s)",
                                c.eventsPerSecond() / passThrough.eventsPerSecond(),
                                c.eventsPerSecond())))
                .toList();
        Files.writeString(
                results.resolve("topology.svg"),
                SvgBarChart.render(
                        "Events/s through the topology as a ratio to an exactly-once pass-through (same data, same run)",
                        "x baseline",
                        bars,
                        THROUGHPUT_TARGET,
                        "target 0.5 x"));
        System.out.println("written " + results.resolve("topology.csv") + " and " + results.resolve("topology.svg"));
    }
}
