package io.authstream.bench;

import io.authstream.embedded.ChildJvm;
import io.authstream.embedded.EmbeddedStack;
import io.authstream.embedded.FreePorts;
import io.authstream.enrich.Enricher;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.streams.AuthTopology;
import io.authstream.streams.StreamsMain;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.TopologyDescription;

/**
 * How the topology's work spreads over tasks and instances.
 *
 * <ol>
 *   <li>Every topic gets 6 partitions. Two instances of the Streams app (one application id, each
 *       its own process) start and share the tasks; then the same backlog as {@link TopologyReport}
 *       is written to auth.events.raw, and they consume it together. Task {@code s_p} processes
 *       partition {@code p} of sub-topology {@code s}'s source topics, so a read_committed consumer
 *       of our own counts each source partition's records as they are written (before Kafka
 *       Streams purges its repartition topics): that is each task's load, whichever instance
 *       held the task. Per sub-topology: records per task, and the busiest task against the mean
 *       (target at most 1.5).</li>
 *   <li>One instance consumes the same backlog under a new application id: the two instances'
 *       combined events/s against it (the two instances' run includes the writing of the backlog,
 *       a few seconds of the run, so it is if anything the lower figure).</li>
 * </ol>
 * Prints a table and writes {@code spread.csv}. Arguments: {@code [output directory] [backlog events]}.
 */
public final class SpreadReport {

    static final int PARTITIONS = 6;
    private static final double SPREAD_TARGET = 1.5;

    /** A Streams app in its own process, and its HTTP port. */
    record App(ChildJvm jvm, int port) implements AutoCloseable {
        @Override
        public void close() {
            jvm.close();
        }
    }

    /** Records one task processed, and the sub-topology it belongs to. */
    record TaskLoad(int subtopology, int partition, long records) {}

    private SpreadReport() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int backlog = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        Path logs = results.resolve("logs");
        GeneratedClasses.trust();
        try (EmbeddedStack stack = BenchStack.start(step -> System.out.println("  " + step), PARTITIONS);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
            TopologyReport.OffsetWatch watch = new TopologyReport.OffsetWatch(admin);

            System.out.printf("two instances of the Streams app (own processes, %d partitions) ...%n", PARTITIONS);
            String twoId = "bench-spread-two-" + UUID.randomUUID();
            double twoPerSecond;
            long records;
            Map<Integer, List<String>> sources = sourceTopics(stack);
            PartitionCounter counter;
            try (App first = startApp(stack, twoId, "a", logs);
                    App second = startApp(stack, twoId, "b", logs)) {
                // Both join while there is no state yet, so both are caught up and the tasks are
                // shared; joining a busy instance, the second would get warm-up replicas and wait
                // for a probing rebalance (10 min) before taking active tasks.
                awaitRunning(List.of(first, second), Duration.ofMinutes(2));
                counter = new PartitionCounter(stack.bootstrapServers(), twoId, sources);
                counter.start();
                records = TopologyReport.writeBacklog(stack, backlog);
                twoPerSecond = watch.consume(twoId, records, Duration.ofMinutes(30));
                counter.finish();
            }

            System.out.println("one instance consumes the same backlog ...");
            String oneId = "bench-spread-one-" + UUID.randomUUID();
            double onePerSecond;
            double onePeakRss;
            try (App only = startApp(stack, oneId, "single", logs)) {
                onePerSecond = watch.consume(oneId, records, Duration.ofMinutes(30));
                onePeakRss = only.jvm().peakRssMiB();
            }
            System.out.printf(Locale.ROOT, "  one instance's peak RSS: %.0f MiB%n", onePeakRss);

            List<TaskLoad> loads = counter.loads();
            print(records, onePerSecond, twoPerSecond, loads, sources);
            write(results, records, onePerSecond, twoPerSecond, loads, sources);
        }
    }

    /** Waits until every app answers ready (Kafka Streams RUNNING), then for the assignment to settle. */
    private static void awaitRunning(List<App> apps, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (App app : apps) {
            while (true) {
                int status;
                try {
                    status = http.send(
                                    HttpRequest.newBuilder(
                                                    URI.create("http://127.0.0.1:" + app.port() + "/health/ready"))
                                            .timeout(Duration.ofSeconds(5))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                } catch (java.io.IOException e) {
                    status = 0;
                }
                if (status == 200) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Streams app on port " + app.port() + " is not running");
                }
                Thread.sleep(500);
            }
        }
        Thread.sleep(10_000);
    }

    private static App startApp(EmbeddedStack stack, String applicationId, String name, Path logs) throws Exception {
        int port = FreePorts.next();
        Map<String, String> env = StreamsAppEnv.of(
                stack, applicationId, stack.settings().dataDir().resolve("streams-" + name), port);
        env.put("GEOIP_DATABASE", StreamsAppEnv.geoIpDatabases());
        return new App(
                ChildJvms.start("streams-" + name, StreamsMain.class, env, logs)
                        .awaitOutput("health, metrics and analytics on", Duration.ofSeconds(60)),
                port);
    }

    /**
     * Counts the records of every source partition of every sub-topology with a read_committed
     * consumer (aborted transactions and commit markers are not records), following the topics
     * while the apps run: Kafka Streams deletes repartition records once it has committed them.
     */
    private static final class PartitionCounter extends Thread {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<TopicPartition, Integer> subtopologyOf = new HashMap<>();
        private final Map<TopicPartition, Long> counts = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        PartitionCounter(String bootstrap, String applicationId, Map<Integer, List<String>> sources) {
            super("spread-partition-counter");
            setDaemon(true);
            consumer = new KafkaConsumer<>(
                    Map.of(
                            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed",
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "earliest",
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                            false),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
            sources.forEach((sub, topics) -> {
                for (String topic : topics) {
                    // Internal topics are named after the application id; the catalogue's are not.
                    String name = topic.startsWith("auth.") ? topic : applicationId + "-" + topic;
                    for (int p = 0; p < PARTITIONS; p++) {
                        subtopologyOf.put(new TopicPartition(name, p), sub);
                    }
                }
            });
            consumer.assign(subtopologyOf.keySet());
            consumer.seekToBeginning(subtopologyOf.keySet());
        }

        @Override
        public void run() {
            while (running) {
                count(consumer.poll(Duration.ofMillis(200)));
            }
        }

        /** Reads up to the topics' ends (the apps have committed everything), then stops. */
        void finish() throws InterruptedException {
            running = false;
            join();
            Map<TopicPartition, Long> ends = consumer.endOffsets(subtopologyOf.keySet());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline
                    && ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                count(consumer.poll(Duration.ofMillis(200)));
            }
            consumer.close();
        }

        private void count(ConsumerRecords<byte[], byte[]> records) {
            for (TopicPartition tp : records.partitions()) {
                counts.merge(tp, (long) records.records(tp).size(), Long::sum);
            }
        }

        List<TaskLoad> loads() {
            Map<String, TaskLoad> perTask = new TreeMap<>();
            subtopologyOf.forEach((tp, sub) -> perTask.merge(
                    sub + "_" + tp.partition(),
                    new TaskLoad(sub, tp.partition(), counts.getOrDefault(tp, 0L)),
                    (a, b) -> new TaskLoad(a.subtopology(), a.partition(), a.records() + b.records())));
            return new ArrayList<>(perTask.values());
        }
    }

    /** The source topics of each sub-topology, from the topology the app builds. */
    private static Map<Integer, List<String>> sourceTopics(EmbeddedStack stack) {
        TopologyDescription description = AuthTopology.build(
                        AuthTopology.Settings.defaults(),
                        AuthTopology.Serdes.fromCatalogue(Map.of("schema.registry.url", stack.schemaRegistryUrl())),
                        Enricher.off())
                .describe();
        Map<Integer, List<String>> sources = new TreeMap<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            List<String> topics = new ArrayList<>();
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    source.topicSet().stream().sorted().forEach(topics::add);
                }
            }
            sources.put(sub.id(), topics);
        }
        return sources;
    }

    /** Per sub-topology: total records, busiest task over the mean of all its tasks (absent ones count 0). */
    record Spread(int subtopology, List<String> sources, long total, long busiest, double busiestOverMean) {}

    static List<Spread> spreads(List<TaskLoad> loads, Map<Integer, List<String>> sources) {
        List<Spread> spreads = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> sub : sources.entrySet()) {
            long total = 0;
            long busiest = 0;
            for (TaskLoad load : loads) {
                if (load.subtopology() == sub.getKey()) {
                    total += load.records();
                    busiest = Math.max(busiest, load.records());
                }
            }
            double mean = (double) total / PARTITIONS;
            spreads.add(new Spread(sub.getKey(), sub.getValue(), total, busiest, mean == 0 ? 0 : busiest / mean));
        }
        return spreads;
    }

    private static void print(
            long records, double one, double two, List<TaskLoad> loads, Map<Integer, List<String>> sources) {
        System.out.println();
        System.out.printf("%-28s %12s %14s%n", "backlog of " + records, "events/s", "x one instance");
        System.out.printf(Locale.ROOT, "%-28s %12.0f %14.2f%n", "one instance", one, 1.0);
        System.out.printf(Locale.ROOT, "%-28s %12.0f %14.2f%n", "two instances (combined)", two, two / one);
        System.out.println();
        System.out.printf(
                "%-4s %-60s %10s %10s %12s  %s%n",
                "sub", "source topics", "records", "busiest", "busiest/mean", "records per task (partition 0..5)");
        for (Spread spread : spreads(loads, sources)) {
            StringBuilder perTask = new StringBuilder();
            for (int p = 0; p < PARTITIONS; p++) {
                final int partition = p;
                long n = loads.stream()
                        .filter(l -> l.subtopology() == spread.subtopology() && l.partition() == partition)
                        .mapToLong(TaskLoad::records)
                        .sum();
                perTask.append(p == 0 ? "" : " ").append(n);
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-4d %-60s %10d %10d %12.2f  %s%n",
                    spread.subtopology(),
                    String.join(", ", spread.sources()),
                    spread.total(),
                    spread.busiest(),
                    spread.busiestOverMean(),
                    perTask);
        }
        System.out.println();
        for (Spread spread : spreads(loads, sources)) {
            if (spread.total() > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "target: sub-topology %d busiest task <= %.1f x mean: %.2f x (%s)%n",
                        spread.subtopology(),
                        SPREAD_TARGET,
                        spread.busiestOverMean(),
                        spread.busiestOverMean() <= SPREAD_TARGET ? "met" : "missed");
            }
        }
        System.out.printf("(%s)%n", ChildJvms.javaOpts());
    }

    private static void write(
            Path results,
            long records,
            double one,
            double two,
            List<TaskLoad> loads,
            Map<Integer, List<String>> sources)
            throws Exception {
        Files.createDirectories(results);
        StringBuilder csv = new StringBuilder("measure,subtopology,sources,records,busiest,busiest_over_mean,"
                + "events_per_second,ratio_to_one_instance\n");
        csv.append(String.format(Locale.ROOT, "\"one instance\",,,%d,,,%.0f,1.000%n", records, one));
        csv.append(String.format(Locale.ROOT, "\"two instances\",,,%d,,,%.0f,%.3f%n", records, two, two / one));
        for (Spread spread : spreads(loads, sources)) {
            csv.append(String.format(
                    Locale.ROOT,
                    "\"task spread\",%d,\"%s\",%d,%d,%.3f,,%n",
                    spread.subtopology(),
                    String.join(" ", spread.sources()),
                    spread.total(),
                    spread.busiest(),
                    spread.busiestOverMean()));
        }
        Files.writeString(results.resolve("spread.csv"), csv);
        System.out.println("written " + results.resolve("spread.csv"));
    }
}
