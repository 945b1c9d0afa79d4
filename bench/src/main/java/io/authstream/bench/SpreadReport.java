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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.TopologyDescription;

/**
 * How the topology's work spreads over tasks and instances.
 *
 * <ol>
 *   <li>Every topic gets 6 partitions; the same backlog as {@link TopologyReport} is written to
 *       auth.events.raw.</li>
 *   <li>Two instances of the Streams app (one application id, each its own process) consume it
 *       together; each instance's {@code /metrics} is read every second for its tasks' processed
 *       records ({@code kafka_stream_task_process_total}, which Kafka Streams records at the
 *       {@code DEBUG} metrics level, set for both runs). Per sub-topology: records per task, and the
 *       busiest task against the mean (target at most 1.5).</li>
 *   <li>One instance consumes the same backlog under a new application id: the two instances'
 *       combined events/s against it.</li>
 * </ol>
 * Prints a table and writes {@code spread.csv}. Arguments: {@code [output directory] [backlog events]}.
 */
public final class SpreadReport {

    static final int PARTITIONS = 6;
    private static final double SPREAD_TARGET = 1.5;
    private static final Pattern TASK_TOTAL =
            Pattern.compile("^kafka_stream_task_process_total\\{([^}]*)\\}\\s+([0-9.eE+-]+)$", Pattern.MULTILINE);
    private static final Pattern TASK_ID = Pattern.compile("task_id=\"(\\d+)_(\\d+)\"");

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
            long records = TopologyReport.writeBacklog(stack, backlog);
            TopologyReport.OffsetWatch watch = new TopologyReport.OffsetWatch(admin);

            System.out.printf("two instances of the Streams app (own processes, %d partitions) ...%n", PARTITIONS);
            String twoId = "bench-spread-two-" + UUID.randomUUID();
            double twoPerSecond;
            Map<String, Long> perTask = new ConcurrentHashMap<>();
            try (App first = startApp(stack, twoId, "a", logs);
                    App second = startApp(stack, twoId, "b", logs)) {
                TaskScraper scraper = new TaskScraper(List.of(first, second), perTask);
                scraper.start();
                twoPerSecond = watch.consume(twoId, records, Duration.ofMinutes(30));
                // Micrometer picks up new task metrics every 5 s: wait for the last values.
                Thread.sleep(7_000);
                scraper.interrupt();
                scraper.join();
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

            Map<Integer, List<String>> sources = sourceTopics(stack);
            List<TaskLoad> loads = new ArrayList<>();
            perTask.forEach((task, total) -> {
                Matcher id = Pattern.compile("(\\d+)_(\\d+)").matcher(task);
                if (id.matches()) {
                    loads.add(new TaskLoad(Integer.parseInt(id.group(1)), Integer.parseInt(id.group(2)), total));
                }
            });
            print(records, onePerSecond, twoPerSecond, loads, sources);
            write(results, records, onePerSecond, twoPerSecond, loads, sources);
        }
    }

    private static App startApp(EmbeddedStack stack, String applicationId, String name, Path logs) throws Exception {
        int port = FreePorts.next();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("STREAMS_APPLICATION_ID", applicationId);
        env.put(
                "STREAMS_STATE_DIR",
                stack.settings().dataDir().resolve("streams-" + name).toString());
        env.put("STREAMS_HTTP_PORT", Integer.toString(port));
        // Per-task processed records are a DEBUG-level metric.
        env.put("KAFKA_STREAMS_METRICS_RECORDING_LEVEL", "DEBUG");
        env.put(
                "GEOIP_DATABASE",
                String.join(
                        ",",
                        EnrichmentInputs.databases().stream()
                                .map(Path::toString)
                                .toList()));
        return new App(
                ChildJvms.start("streams-" + name, StreamsMain.class, env, logs)
                        .awaitOutput("health, metrics and analytics on", Duration.ofSeconds(60)),
                port);
    }

    /**
     * Reads each instance's task totals every second and keeps, per task, the sum over instances of
     * the last value each showed: a task that moved at a rebalance keeps what it did before.
     */
    private static final class TaskScraper extends Thread {
        private final List<App> apps;
        private final Map<String, Long> perTask;
        private final Map<String, Long> lastSeen = new HashMap<>();
        private final HttpClient http = HttpClient.newHttpClient();

        TaskScraper(List<App> apps, Map<String, Long> perTask) {
            super("spread-task-scraper");
            setDaemon(true);
            this.apps = apps;
            this.perTask = perTask;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                for (int i = 0; i < apps.size(); i++) {
                    scrape(i);
                }
                Map<String, Long> sums = new HashMap<>();
                lastSeen.forEach((key, value) -> sums.merge(key.substring(key.indexOf('/') + 1), value, Long::sum));
                perTask.putAll(sums);
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void scrape(int instance) {
            try {
                String url = "http://127.0.0.1:" + apps.get(instance).port();
                String body = http.send(
                                HttpRequest.newBuilder(URI.create(url + "/metrics"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                Matcher total = TASK_TOTAL.matcher(body);
                while (total.find()) {
                    Matcher id = TASK_ID.matcher(total.group(1));
                    if (id.find()) {
                        lastSeen.merge(
                                instance + "/" + id.group(1) + "_" + id.group(2),
                                (long) Double.parseDouble(total.group(2)),
                                Math::max);
                    }
                }
            } catch (Exception e) {
                // an instance still starting or already stopping: its last values stand
            }
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
