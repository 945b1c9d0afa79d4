package io.authstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.embedded.ChildJvm;
import io.authstream.embedded.EmbeddedStack;
import io.authstream.embedded.FreePorts;
import io.authstream.gateway.GatewayMain;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventKeys;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Gateway throughput and ack latency against Kafka's own producer benchmark, on the same broker
 * in the same run.
 *
 * <ol>
 *   <li>Baseline: {@link ProducerPerformance} (kafka-producer-perf-test) in its own process,
 *       records of the gateway's average record size cut from the gateway's event texts, with the
 *       gateway's producer settings (idempotent, acks=all, linger 5 ms, lz4). A plain producer
 *       loop sending the gateway's actual Avro records (same settings) is measured beside it, as
 *       a check that the tool's text payloads stand for them.</li>
 *   <li>The gateway in its own process, driven by {@link LoadGenerator} (another process): Log
 *       Streams bodies of 1, 10 and 100 events and PutEvents calls of 10 entries at the maximum
 *       rate, then 100-event bodies at half the maximum rate for the latency target.</li>
 *   <li>The gateway's peak RSS and its CPU time per event in each scenario.</li>
 * </ol>
 * Prints a table and writes {@code load.csv} and {@code load.svg}. Arguments:
 * {@code [output directory] [seconds per scenario]}.
 */
public final class LoadReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough clients in flight that the per-request wait for acks (linger 5 ms) does not cap the rate. */
    private static final int CONCURRENCY = 32;
    /** Distinct records for the plain loop, so compression sees realistic data rather than one record repeated. */
    private static final int DISTINCT_RECORDS = 1000;

    private static final String TOOL_TOPIC = "bench.producer-perf";
    private static final double THROUGHPUT_TARGET = 0.5;
    private static final double P99_TARGET_MS = 20;
    private static final Pattern TOOL_SUMMARY = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency, "
                    + "(\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th, (\\d+) ms 99.9th");

    /** One line of the table; {@code ratio} is to the tool's records/s. */
    record Row(
            String scenario,
            String route,
            int batch,
            double eventsPerSecond,
            double ratio,
            double p50Ms,
            double p99Ms,
            double p999Ms,
            double cpuMicrosPerEvent,
            double machineCpuMicrosPerEvent,
            double machineUtilization,
            long failures) {}

    private LoadReport() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path logs = results.resolve("logs");
        GeneratedClasses.trust();
        try (EmbeddedStack stack = BenchStack.start(step -> System.out.println("  " + step))) {
            List<Row> rows = new ArrayList<>();

            List<ProducerRecord<String, byte[]>> records = gatewayRecords(stack.schemaRegistryUrl());
            int recordSize =
                    (int) (records.stream().mapToLong(r -> r.value().length).sum() / records.size());
            System.out.printf(
                    "plain producer loop: the gateway's records (%d distinct, %d bytes on average), acks=all, %d s ...%n",
                    DISTINCT_RECORDS, recordSize, seconds);
            MachineCpu loopStart = MachineCpu.now();
            long loopStarted = System.nanoTime();
            double loop = producerLoop(stack.bootstrapServers(), records, seconds);
            MachineCpu loopEnd = MachineCpu.now();
            double loopRecords = loop * (System.nanoTime() - loopStarted) / 1e9;
            System.out.printf("  %.0f records/s%n", loop);

            long toolRecords = (long) (loop * seconds);
            Path payloads = toolPayloads(logs, recordSize);
            System.out.printf(
                    "baseline: Kafka's ProducerPerformance, %d records of %d bytes (the gateway's event texts, %s), "
                            + "acks=all, idempotent, linger 5 ms, lz4 (its own process) ...%n",
                    toolRecords, recordSize, payloads);
            MachineCpu toolStart = MachineCpu.now();
            Matcher tool = producerPerformance(stack.bootstrapServers(), payloads, toolRecords, logs, seconds);
            MachineCpu toolEnd = MachineCpu.now();
            double baseline = Double.parseDouble(tool.group(2));
            System.out.printf(
                    "  %.0f records/s, latency p50 %s ms, p99 %s ms, p99.9 %s ms%n",
                    baseline, tool.group(6), tool.group(8), tool.group(9));
            rows.add(new Row(
                    "kafka ProducerPerformance (baseline)",
                    "kafka",
                    1,
                    baseline,
                    1.0,
                    Double.parseDouble(tool.group(6)),
                    Double.parseDouble(tool.group(8)),
                    Double.parseDouble(tool.group(9)),
                    Double.NaN,
                    toolEnd.busySecondsSince(toolStart) * 1e6 / Long.parseLong(tool.group(1)),
                    toolEnd.utilizationSince(toolStart),
                    0));
            rows.add(new Row(
                    "plain producer loop, gateway records",
                    "kafka",
                    1,
                    loop,
                    loop / baseline,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN,
                    loopEnd.busySecondsSince(loopStart) * 1e6 / loopRecords,
                    loopEnd.utilizationSince(loopStart),
                    0));

            String token = "Bearer " + UUID.randomUUID();
            String accessKey =
                    "AKIDBENCH" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
            String secretKey = UUID.randomUUID().toString();
            Map<String, String> env = new HashMap<>();
            int port = FreePorts.next();
            env.put("GATEWAY_PORT", Integer.toString(port));
            env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
            env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
            env.put("AUTH0_LOG_STREAM_AUTHORIZATION", token);
            env.put("PUTEVENTS_ACCESS_KEYS", accessKey + ":" + secretKey);
            String url = "http://127.0.0.1:" + port;
            System.out.println("starting the gateway in its own process ...");
            double peakRss;
            try (ChildJvm gateway = ChildJvms.start("gateway", GatewayMain.class, env, logs)
                    .awaitOutput("authstream gateway listening on", Duration.ofSeconds(60))) {
                Scenario scenario = new Scenario(gateway, baseline, seconds, logs);
                // Warm-up of every path, not measured: a JFR profile of a first try showed the JIT
                // compiler threads using more CPU than the request threads in short runs.
                for (int batch : List.of(1, 100)) {
                    scenario.run(
                            "warm-up",
                            LoadGenerator.LOG_STREAM,
                            url + GatewayServer.LOG_STREAM_PATH,
                            token,
                            batch,
                            0,
                            Math.min(5, seconds));
                }
                scenario.run(
                        "warm-up",
                        LoadGenerator.PUT_EVENTS,
                        url,
                        accessKey + ":" + secretKey,
                        10,
                        0,
                        Math.min(5, seconds));
                for (int batch : List.of(1, 10, 100)) {
                    rows.add(scenario.run(
                            "log stream, " + batch + "-event bodies",
                            LoadGenerator.LOG_STREAM,
                            url + GatewayServer.LOG_STREAM_PATH,
                            token,
                            batch,
                            0,
                            seconds));
                }
                rows.add(scenario.run(
                        "PutEvents, 10 entries per call",
                        LoadGenerator.PUT_EVENTS,
                        url,
                        accessKey + ":" + secretKey,
                        10,
                        0,
                        seconds));
                double max = rows.stream()
                        .filter(r -> r.batch() == 100)
                        .mapToDouble(Row::eventsPerSecond)
                        .max()
                        .orElseThrow();
                rows.add(scenario.run(
                        String.format(Locale.ROOT, "log stream, 100-event bodies at half max (%.0f/s)", max / 2),
                        LoadGenerator.LOG_STREAM,
                        url + GatewayServer.LOG_STREAM_PATH,
                        token,
                        100,
                        max / 2 / 100,
                        seconds));
                peakRss = gateway.peakRssMiB();
            }
            print(rows, peakRss);
            write(results, rows, peakRss);
        }
    }

    /** Runs the load generator against the running gateway and measures the gateway's CPU meanwhile. */
    private record Scenario(ChildJvm gateway, double baseline, int seconds, Path logs) {

        Row run(
                String name,
                String route,
                String url,
                String credential,
                int batch,
                double requestsPerSecond,
                int duration)
                throws Exception {
            System.out.printf(
                    "%s: %s, %d clients, %d s (load generator in its own process) ...%n",
                    name,
                    requestsPerSecond > 0
                            ? String.format(Locale.ROOT, "%.0f requests/s open loop", requestsPerSecond)
                            : "closed loop",
                    CONCURRENCY,
                    duration);
            double cpuBefore = gateway.cpuSeconds();
            MachineCpu machineBefore = MachineCpu.now();
            String output = ChildJvms.start(
                            "load-" + route + "-" + batch,
                            LoadGenerator.class,
                            Map.of(),
                            logs,
                            route,
                            url,
                            credential,
                            Integer.toString(batch),
                            Long.toString(Long.MAX_VALUE),
                            Integer.toString(duration),
                            Integer.toString(CONCURRENCY),
                            Double.toString(requestsPerSecond),
                            "bench-" + batch + "-"
                                    + UUID.randomUUID().toString().substring(0, 8))
                    .awaitExit(Duration.ofSeconds(duration + 120L));
            double cpu = gateway.cpuSeconds() - cpuBefore;
            MachineCpu machineAfter = MachineCpu.now();
            JsonNode result = JSON.readTree(output.lines()
                    .filter(l -> l.startsWith("RESULT "))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("the load generator printed no result"))
                    .substring(7));
            double rate = result.get("eventsPerSecond").asDouble();
            long events = result.get("events").asLong();
            Row row = new Row(
                    name,
                    route,
                    batch,
                    rate,
                    rate / baseline,
                    result.get("p50Ms").asDouble(),
                    result.get("p99Ms").asDouble(),
                    result.get("p999Ms").asDouble(),
                    events == 0 ? Double.NaN : cpu * 1e6 / events,
                    events == 0 ? Double.NaN : machineAfter.busySecondsSince(machineBefore) * 1e6 / events,
                    machineAfter.utilizationSince(machineBefore),
                    result.get("failures").asLong());
            System.out.printf(
                    "  %.0f events/s (%.2f x baseline), ack p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, "
                            + "CPU per event: gateway %.1f us, machine %.1f us (%.0f%% busy), %d failed requests%n",
                    rate,
                    row.ratio(),
                    row.p50Ms(),
                    row.p99Ms(),
                    row.p999Ms(),
                    row.cpuMicrosPerEvent(),
                    row.machineCpuMicrosPerEvent(),
                    row.machineUtilization() * 100,
                    row.failures());
            return row;
        }
    }

    /** The normalised, serialised events of the load generator's bodies, with their keys: what the gateway sends. */
    private static List<ProducerRecord<String, byte[]>> gatewayRecords(String registryUrl) throws Exception {
        AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(Map.of("schema.registry.url", registryUrl), false);
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        for (JsonNode record : JSON.readTree(LoadGenerator.body("baseline", 0, DISTINCT_RECORDS))) {
            AuthEvent event =
                    Auth0LogNormalizer.normalize(record, record.toString(), "auth0.log-stream", Instant.now());
            byte[] value = serializer.serialize(Topics.AUTH_EVENTS_RAW.name(), event);
            records.add(new ProducerRecord<>(Topics.AUTH_EVENTS_RAW.name(), EventKeys.of(event), value));
        }
        return records;
    }

    /**
     * The tool's payload file: the JSON texts of the load generator's events, each padded or cut to
     * the gateway's average record size. With {@code --record-size} the tool would send random
     * letters instead, which lz4 cannot compress and which the tool generates byte by byte in its
     * send loop, making the baseline slower for reasons the gateway does not share.
     */
    private static Path toolPayloads(Path dir, int recordSize) throws Exception {
        StringBuilder file = new StringBuilder();
        for (JsonNode record : JSON.readTree(LoadGenerator.body("tool", 0, DISTINCT_RECORDS))) {
            String text = record.toString();
            file.append(
                            text.length() >= recordSize
                                    ? text.substring(0, recordSize)
                                    : text + " ".repeat(recordSize - text.length()))
                    .append('\n');
        }
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("producer-performance-payloads.txt"), file);
    }

    /** Kafka's own producer benchmark on a topic shaped like auth.events.raw; its final summary line. */
    private static Matcher producerPerformance(String bootstrap, Path payloads, long records, Path logs, int seconds)
            throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            int partitions = admin.describeTopics(List.of(Topics.AUTH_EVENTS_RAW.name()))
                    .allTopicNames()
                    .get()
                    .get(Topics.AUTH_EVENTS_RAW.name())
                    .partitions()
                    .size();
            admin.createTopics(List.of(new NewTopic(TOOL_TOPIC, partitions, (short) 1)))
                    .all()
                    .get();
        }
        String output = ChildJvms.start(
                        "producer-performance",
                        ProducerPerformance.class,
                        Map.of(),
                        logs,
                        "--bootstrap-server",
                        bootstrap,
                        "--topic",
                        TOOL_TOPIC,
                        "--num-records",
                        Long.toString(records),
                        "--payload-file",
                        payloads.toString(),
                        "--throughput",
                        "-1",
                        "--command-property",
                        "acks=all",
                        "enable.idempotence=true",
                        "linger.ms=5",
                        "compression.type=lz4")
                .awaitExit(Duration.ofSeconds(seconds * 10L + 60));
        return toolSummary(output);
    }

    /**
     * The tool's final line (records/s in group 2; 50th, 99th, 99.9th percentile latency in groups
     * 6, 8, 9); its progress lines every 5 s have no percentiles and do not match.
     */
    static Matcher toolSummary(String output) {
        Matcher summary = null;
        for (String line : output.lines().toList()) {
            Matcher m = TOOL_SUMMARY.matcher(line);
            if (m.find()) {
                summary = m;
            }
        }
        if (summary == null) {
            throw new IllegalStateException("ProducerPerformance printed no summary:\n" + output);
        }
        return summary;
    }

    /** Records per second a plain producer gets acknowledged within {@code seconds}. */
    static double producerLoop(String bootstrap, List<ProducerRecord<String, byte[]>> records, int seconds) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long started = System.nanoTime();
        long end = started + seconds * 1_000_000_000L;
        long sent = 0;
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            while (System.nanoTime() < end) {
                producer.send(records.get((int) (sent % records.size())), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
                sent++;
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " records of the plain loop failed");
        }
        return acked.get() / ((System.nanoTime() - started) / 1e9);
    }

    private static void print(List<Row> rows, double peakRssMiB) {
        System.out.println();
        System.out.printf(
                "%-52s %10s %11s %8s %8s %8s %9s %9s %6s%n",
                "scenario", "events/s", "x baseline", "p50 ms", "p99 ms", "p99.9 ms", "gw us/ev", "all us/ev", "busy");
        for (Row row : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "%-52s %10.0f %11.2f %8s %8s %8s %9s %9s %5.0f%%%n",
                    row.scenario(),
                    row.eventsPerSecond(),
                    row.ratio(),
                    fmt(row.p50Ms()),
                    fmt(row.p99Ms()),
                    fmt(row.p999Ms()),
                    fmt(row.cpuMicrosPerEvent()),
                    fmt(row.machineCpuMicrosPerEvent()),
                    row.machineUtilization() * 100);
        }
        System.out.println(
                "(gw us/ev: CPU of the gateway process per event; all us/ev: CPU of the whole machine per event,"
                        + " broker, load generator and JVM start-ups included)");
        Row hundred = rows.stream()
                .filter(r -> r.batch() == 100 && r.scenario().endsWith("bodies"))
                .findFirst()
                .orElseThrow();
        Row half = rows.get(rows.size() - 1);
        System.out.printf(
                Locale.ROOT,
                "%ntarget: gateway >= %.2f x baseline with 100-event bodies: %.2f x (%s)%n",
                THROUGHPUT_TARGET,
                hundred.ratio(),
                hundred.ratio() >= THROUGHPUT_TARGET ? "met" : "missed");
        System.out.printf(
                Locale.ROOT,
                "target: p99 ack < %.0f ms at half the maximum rate: %.1f ms (%s)%n",
                P99_TARGET_MS,
                half.p99Ms(),
                half.p99Ms() < P99_TARGET_MS ? "met" : "missed");
        System.out.printf(Locale.ROOT, "gateway peak RSS: %.0f MiB (%s)%n", peakRssMiB, ChildJvms.javaOpts());
    }

    private static void write(Path results, List<Row> rows, double peakRssMiB) throws Exception {
        Files.createDirectories(results);
        StringBuilder csv = new StringBuilder(
                "scenario,route,batch,events_per_second,ratio_to_baseline,p50_ms,p99_ms,p999_ms,"
                        + "gateway_cpu_us_per_event,machine_cpu_us_per_event,machine_busy,failed_requests,gateway_peak_rss_mib\n");
        for (Row row : rows) {
            csv.append(String.join(
                            ",",
                            "\"" + row.scenario() + "\"",
                            row.route(),
                            Integer.toString(row.batch()),
                            String.format(Locale.ROOT, "%.0f", row.eventsPerSecond()),
                            String.format(Locale.ROOT, "%.3f", row.ratio()),
                            fmt(row.p50Ms()),
                            fmt(row.p99Ms()),
                            fmt(row.p999Ms()),
                            fmt(row.cpuMicrosPerEvent()),
                            fmt(row.machineCpuMicrosPerEvent()),
                            String.format(Locale.ROOT, "%.2f", row.machineUtilization()),
                            Long.toString(row.failures()),
                            row.route().equals("kafka") ? "" : String.format(Locale.ROOT, "%.0f", peakRssMiB)))
                    .append('\n');
        }
        Files.writeString(results.resolve("load.csv"), csv);
        List<SvgBarChart.Bar> bars = rows.stream()
                .map(r -> new SvgBarChart.Bar(
                        r.scenario(),
                        r.ratio(),
                        String.format(Locale.ROOT, "%.2f x (%.0f/s)", r.ratio(), r.eventsPerSecond())))
                .toList();
        Files.writeString(
                results.resolve("load.svg"),
                SvgBarChart.render(
                        "Events/s as a ratio to Kafka's ProducerPerformance (same broker, same run)",
                        "x baseline",
                        bars,
                        THROUGHPUT_TARGET,
                        "target 0.5 x (100-event bodies)"));
        System.out.println("written " + results.resolve("load.csv") + " and " + results.resolve("load.svg"));
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
