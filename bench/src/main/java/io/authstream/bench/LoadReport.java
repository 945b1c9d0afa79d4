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

    /** The prefix of the variables given to the gateway under test with the prefix cut. */
    private static final String GATEWAY_ENV = "BENCH_GATEWAY_";

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

    private static final double CEILING_TARGET_SMALL = 0.5;
    private static final double CEILING_TARGET_PUT_EVENTS = 0.3;
    /** wrk's threads: one per core, as its documentation advises. */
    private static final int WRK_THREADS = 2;

    private static final Pattern WRK_RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern WRK_PERCENTILE =
            Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([\\d.]+)(us|ms|s)\\s*$");
    private static final Pattern WRK_NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");
    private static final Pattern WRK_ERRORS =
            Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
    private static final Pattern WRK_REQUESTS = Pattern.compile("(\\d+) requests in ([\\d.]+)(s|m)");

    /**
     * One line of the table; {@code ratio} is to the tool's records/s, {@code ceilingRatio} the
     * requests/s to the HTTP ceiling's (measured by the same load generator), {@code peakRssMiB}
     * the server's peak RSS once the scenario ended.
     */
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
            long failures,
            double requestsPerSecond,
            double ceilingRatio,
            double peakRssMiB) {

        Row withCeiling(double ceilingRequestsPerSecond) {
            return new Row(
                    scenario,
                    route,
                    batch,
                    eventsPerSecond,
                    ratio,
                    p50Ms,
                    p99Ms,
                    p999Ms,
                    cpuMicrosPerEvent,
                    machineCpuMicrosPerEvent,
                    machineUtilization,
                    failures,
                    requestsPerSecond,
                    requestsPerSecond / ceilingRequestsPerSecond,
                    peakRssMiB);
        }
    }

    private LoadReport() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path logs = results.resolve("logs");
        GeneratedClasses.trust();
        try (EmbeddedStack stack = BenchStack.start(step -> System.out.println("  " + step));
                BrokerSide broker = new BrokerSide()) {
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
                    0,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN));
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
                    0,
                    Double.NaN,
                    Double.NaN,
                    Double.NaN));

            String token = "Bearer " + UUID.randomUUID();
            String eventStreamToken = UUID.randomUUID().toString();
            String accessKey =
                    "AKIDBENCH" + UUID.randomUUID().toString().substring(0, 8).toUpperCase(Locale.ROOT);
            String secretKey = UUID.randomUUID().toString();
            Map<String, String> env = new HashMap<>();
            int port = FreePorts.next();
            env.put("GATEWAY_PORT", Integer.toString(port));
            env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
            env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
            env.put("AUTH0_LOG_STREAM_AUTHORIZATION", token);
            env.put("AUTH0_EVENT_STREAM_BEARER_TOKEN", eventStreamToken);
            env.put("PUTEVENTS_ACCESS_KEYS", accessKey + ":" + secretKey);
            // An experiment's gateway settings (BENCH_GATEWAY_KAFKA_PRODUCER_COMPRESSION_TYPE=none, say).
            System.getenv().forEach((name, value) -> {
                if (name.startsWith(GATEWAY_ENV)) {
                    env.put(name.substring(GATEWAY_ENV.length()), value);
                }
            });
            String url = "http://127.0.0.1:" + port;
            List<Row> ceilingRows = new ArrayList<>();
            Map<String, String> ceilingEnv = new HashMap<>(env);
            int ceilingPort = FreePorts.next();
            ceilingEnv.put("GATEWAY_PORT", Integer.toString(ceilingPort));
            String ceilingUrl = "http://127.0.0.1:" + ceilingPort + CeilingMain.PATH;
            System.out.println("starting the HTTP ceiling (the gateway's server, a route answering a fixed 200) ...");
            try (ChildJvm ceiling = ChildJvms.start("ceiling", CeilingMain.class, ceilingEnv, logs)
                    .awaitOutput(CeilingMain.READY, Duration.ofSeconds(60))) {
                Scenario scenario = new Scenario(ceiling, Double.NaN, seconds, logs, broker);
                scenario.run("warm-up", LoadGenerator.LOG_STREAM, ceilingUrl, token, 1, 0, seconds);
                ceilingRows.add(scenario.run(
                        "HTTP ceiling, 1-event bodies (fixed 200)",
                        LoadGenerator.LOG_STREAM,
                        ceilingUrl,
                        token,
                        1,
                        0,
                        seconds));
                wrk(ceiling, "HTTP ceiling, 1-event bodies, wrk", ceilingUrl, token, seconds, logs)
                        .ifPresent(ceilingRows::add);
            }
            double ceilingRate = ceilingRows.get(0).requestsPerSecond();
            for (Row row : ceilingRows) {
                rows.add(row.withCeiling(ceilingRate));
            }
            System.out.println("starting the gateway in its own process ...");
            double peakRss;
            try (ChildJvm gateway = ChildJvms.start("gateway", GatewayMain.class, env, logs)
                    .awaitOutput("authstream gateway listening on", Duration.ofSeconds(60))) {
                Scenario scenario = new Scenario(gateway, baseline, seconds, logs, broker);
                // Warm-up of every path, not measured: a JFR profile of a first try showed the JIT
                // compiler threads using more CPU than the request threads in short runs. With 5 s
                // each, the first measured scenario (log stream, 1-event) still ran at 0.75 x the
                // rate of the same scenario repeated after the others (2026-12-06), so each path
                // now warms for a whole scenario's time.
                for (int batch : List.of(1, 100)) {
                    scenario.run(
                            "warm-up",
                            LoadGenerator.LOG_STREAM,
                            url + GatewayServer.LOG_STREAM_PATH,
                            token,
                            batch,
                            0,
                            seconds);
                }
                scenario.run(
                        "warm-up",
                        LoadGenerator.EVENT_STREAM,
                        url + GatewayServer.EVENT_STREAM_PATH,
                        "Bearer " + eventStreamToken,
                        1,
                        0,
                        seconds);
                scenario.run("warm-up", LoadGenerator.PUT_EVENTS, url, accessKey + ":" + secretKey, 10, 0, seconds);
                List<Row> gatewayRows = new ArrayList<>();
                gatewayRows.add(scenario.run(
                        "log stream, 1-event bodies",
                        LoadGenerator.LOG_STREAM,
                        url + GatewayServer.LOG_STREAM_PATH,
                        token,
                        1,
                        0,
                        seconds));
                gatewayRows.add(scenario.run(
                        "event stream, 1-event bodies",
                        LoadGenerator.EVENT_STREAM,
                        url + GatewayServer.EVENT_STREAM_PATH,
                        "Bearer " + eventStreamToken,
                        1,
                        0,
                        seconds));
                for (int batch : List.of(10, 100)) {
                    gatewayRows.add(scenario.run(
                            "log stream, " + batch + "-event bodies",
                            LoadGenerator.LOG_STREAM,
                            url + GatewayServer.LOG_STREAM_PATH,
                            token,
                            batch,
                            0,
                            seconds));
                }
                gatewayRows.add(scenario.run(
                        "PutEvents, 10 entries per call",
                        LoadGenerator.PUT_EVENTS,
                        url,
                        accessKey + ":" + secretKey,
                        10,
                        0,
                        seconds));
                wrk(
                                gateway,
                                "log stream, 1-event bodies, wrk",
                                url + GatewayServer.LOG_STREAM_PATH,
                                token,
                                seconds,
                                logs)
                        .ifPresent(gatewayRows::add);
                for (Row row : gatewayRows) {
                    rows.add(row.withCeiling(ceilingRate));
                }
                double max = rows.stream()
                        .filter(r -> r.batch() == 100)
                        .mapToDouble(Row::eventsPerSecond)
                        .max()
                        .orElseThrow();
                rows.add(scenario.run(
                                String.format(
                                        Locale.ROOT, "log stream, 100-event bodies at half max (%.0f/s)", max / 2),
                                LoadGenerator.LOG_STREAM,
                                url + GatewayServer.LOG_STREAM_PATH,
                                token,
                                100,
                                max / 2 / 100,
                                seconds)
                        .withCeiling(ceilingRate));
                peakRss = gateway.peakRssMiB();
            }
            print(rows, peakRss);
            write(results, rows, peakRss);
        }
    }

    /** Runs the load generator against the running gateway and measures the gateway's CPU meanwhile. */
    private record Scenario(ChildJvm gateway, double baseline, int seconds, Path logs, BrokerSide broker) {

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
            BrokerSide.Window brokerBefore = broker.now();
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
            String brokerSide = broker.now().since(brokerBefore);
            JsonNode result = JSON.readTree(output.lines()
                    .filter(l -> l.startsWith("RESULT "))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new IllegalStateException("the load generator printed no result"))
                    .substring(7));
            double rate = result.get("eventsPerSecond").asDouble();
            long events = result.get("events").asLong();
            double served =
                    (result.get("requests").asLong() - result.get("failures").asLong())
                            / result.get("seconds").asDouble();
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
                    result.get("failures").asLong(),
                    served,
                    Double.NaN,
                    gateway.peakRssMiB());
            System.out.printf(
                    "  %.0f requests/s, %.0f events/s (%.2f x baseline), ack p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, "
                            + "CPU per event: gateway %.1f us, machine %.1f us (%.0f%% busy), %d failed requests%n",
                    served,
                    rate,
                    row.ratio(),
                    row.p50Ms(),
                    row.p99Ms(),
                    row.p999Ms(),
                    row.cpuMicrosPerEvent(),
                    row.machineCpuMicrosPerEvent(),
                    row.machineUtilization() * 100,
                    row.failures());
            System.out.println("  " + brokerSide);
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

    /**
     * The external check that the Java load generator is not the bottleneck: wrk (Debian's
     * package {@code wrk}, {@link #WRK_THREADS} threads, the same connections) posting 1-event
     * Log Streams bodies, each with a fresh log id (a Lua script), against {@code server}. Empty,
     * with a note, when wrk is not installed: the bench runs without it.
     */
    static java.util.Optional<Row> wrk(
            ChildJvm server, String name, String url, String authorization, int seconds, Path logs) throws Exception {
        Path script = wrkScript(logs, authorization);
        System.out.printf("%s: wrk, %d threads, %d connections, %d s ...%n", name, WRK_THREADS, CONCURRENCY, seconds);
        double cpuBefore = server.cpuSeconds();
        MachineCpu machineBefore = MachineCpu.now();
        Process wrk;
        try {
            wrk = new ProcessBuilder(
                            "wrk",
                            "-t" + WRK_THREADS,
                            "-c" + CONCURRENCY,
                            "-d" + seconds + "s",
                            "--latency",
                            "-s",
                            script.toString(),
                            url,
                            "--",
                            "wrk-" + UUID.randomUUID().toString().substring(0, 8))
                    .redirectErrorStream(true)
                    .start();
        } catch (java.io.IOException e) {
            System.out.println("  wrk is not installed (apt-get install -y wrk): the external check is skipped");
            return java.util.Optional.empty();
        }
        String output = new String(wrk.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        wrk.waitFor();
        double cpu = server.cpuSeconds() - cpuBefore;
        MachineCpu machineAfter = MachineCpu.now();
        Files.writeString(logs.resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + ".log"), output);
        Row row = wrkRow(
                name,
                output,
                cpu,
                machineAfter.busySecondsSince(machineBefore),
                machineAfter.utilizationSince(machineBefore),
                server.peakRssMiB());
        System.out.printf(
                "  %.0f requests/s, p50 %.2f ms, p99 %.2f ms, %d failed requests (non-2xx or socket errors)%n",
                row.requestsPerSecond(), row.p50Ms(), row.p99Ms(), row.failures());
        return java.util.Optional.of(row);
    }

    /** A row from wrk's report (its {@code --latency} percentiles; failures: non-2xx answers and socket errors). */
    static Row wrkRow(
            String name, String output, double cpuSeconds, double machineBusySeconds, double busy, double rss) {
        Matcher rate = WRK_RATE.matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("wrk printed no Requests/sec:\n" + output);
        }
        double p50 = Double.NaN;
        double p99 = Double.NaN;
        for (String line : output.lines().toList()) {
            Matcher m = WRK_PERCENTILE.matcher(line);
            if (m.find()) {
                double value = Double.parseDouble(m.group(2))
                        * switch (m.group(3)) {
                            case "us" -> 0.001;
                            case "s" -> 1000.0;
                            default -> 1.0;
                        };
                if (m.group(1).equals("50")) {
                    p50 = value;
                } else {
                    p99 = value;
                }
            }
        }
        long failures = 0;
        Matcher non2xx = WRK_NON_2XX.matcher(output);
        if (non2xx.find()) {
            failures += Long.parseLong(non2xx.group(1));
        }
        Matcher errors = WRK_ERRORS.matcher(output);
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                failures += Long.parseLong(errors.group(g));
            }
        }
        Matcher total = WRK_REQUESTS.matcher(output);
        double seconds = Double.NaN;
        long requests = 0;
        if (total.find()) {
            requests = Long.parseLong(total.group(1));
            seconds = Double.parseDouble(total.group(2)) * (total.group(3).equals("m") ? 60 : 1);
        }
        double ok = Double.isNaN(seconds)
                ? Double.parseDouble(rate.group(1))
                : (requests - Math.min(requests, failures)) / seconds;
        long events = (long) (ok * (Double.isNaN(seconds) ? 1 : seconds));
        return new Row(
                name,
                "wrk",
                1,
                ok,
                Double.NaN,
                p50,
                p99,
                Double.NaN,
                events == 0 ? Double.NaN : cpuSeconds * 1e6 / events,
                events == 0 ? Double.NaN : machineBusySeconds * 1e6 / events,
                busy,
                failures,
                ok,
                Double.NaN,
                rss);
    }

    /** wrk's script: each request a 1-event Log Streams body whose log id is new (run, thread, counter). */
    private static Path wrkScript(Path dir, String authorization) throws Exception {
        String marker = "WRKID-0";
        String body = new String(LoadGenerator.body("WRKID", 0, 1), java.nio.charset.StandardCharsets.UTF_8);
        int at = body.indexOf(marker);
        String script = String.join(
                "\n",
                "-- written by io.authstream.bench.LoadReport",
                "local pre = [==[" + body.substring(0, at) + "]==]",
                "local post = [==[" + body.substring(at + marker.length()) + "]==]",
                "local threads = 0",
                "function setup(thread)",
                "  threads = threads + 1",
                "  thread:set(\"tid\", threads)",
                "end",
                "function init(args)",
                "  run = args[1] or \"wrk\"",
                "  n = 0",
                "  headers = { [\"Authorization\"] = [==[" + authorization
                        + "]==], [\"Content-Type\"] = \"application/json\" }",
                "end",
                "function request()",
                "  n = n + 1",
                "  return wrk.format(\"POST\", nil, headers, pre .. run .. \"-\" .. tid .. \"-\" .. n .. post)",
                "end",
                "");
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("wrk-fresh-ids.lua"), script);
    }

    private static void print(List<Row> rows, double peakRssMiB) {
        System.out.println();
        System.out.printf(
                "%-52s %10s %10s %11s %9s %8s %8s %8s %9s %9s %8s %6s%n",
                "scenario",
                "requests/s",
                "events/s",
                "x baseline",
                "x ceiling",
                "p50 ms",
                "p99 ms",
                "p99.9 ms",
                "gw us/ev",
                "all us/ev",
                "RSS MiB",
                "busy");
        for (Row row : rows) {
            System.out.printf(
                    Locale.ROOT,
                    "%-52s %10s %10.0f %11s %9s %8s %8s %8s %9s %9s %8s %5.0f%%%n",
                    row.scenario(),
                    fmt0(row.requestsPerSecond()),
                    row.eventsPerSecond(),
                    fmt(row.ratio()),
                    fmt(row.ceilingRatio()),
                    fmt(row.p50Ms()),
                    fmt(row.p99Ms()),
                    fmt(row.p999Ms()),
                    fmt(row.cpuMicrosPerEvent()),
                    fmt(row.machineCpuMicrosPerEvent()),
                    fmt0(row.peakRssMiB()),
                    row.machineUtilization() * 100);
        }
        System.out.println(
                "(x ceiling: requests/s over the HTTP ceiling's, both by the Java load generator; gw us/ev: CPU of the"
                        + " server process per event; all us/ev: CPU of the whole machine per event, broker, load"
                        + " generator and JVM start-ups included; RSS: the server's peak RSS at the scenario's end)");
        Row hundred = rows.stream()
                .filter(r -> r.batch() == 100 && r.scenario().endsWith("bodies"))
                .findFirst()
                .orElseThrow();
        Row half = rows.get(rows.size() - 1);
        for (String scenario : List.of("log stream, 1-event bodies", "event stream, 1-event bodies")) {
            rows.stream()
                    .filter(r -> r.scenario().equals(scenario))
                    .findFirst()
                    .ifPresent(r -> System.out.printf(
                            Locale.ROOT,
                            "target: %s >= %.2f x the ceiling's requests/s: %.2f x (%s)%n",
                            scenario,
                            CEILING_TARGET_SMALL,
                            r.ceilingRatio(),
                            r.ceilingRatio() >= CEILING_TARGET_SMALL ? "met" : "missed"));
        }
        System.out.printf(
                Locale.ROOT,
                "target: 100-event bodies >= %.2f x baseline events/s: %.2f x (%s)%n",
                THROUGHPUT_TARGET,
                hundred.ratio(),
                hundred.ratio() >= THROUGHPUT_TARGET ? "met" : "missed");
        rows.stream()
                .filter(r -> r.route().equals(LoadGenerator.PUT_EVENTS))
                .findFirst()
                .ifPresent(r -> System.out.printf(
                        Locale.ROOT,
                        "target: PutEvents (10 entries) >= %.2f x the ceiling's requests/s: %.2f x (%s)%n",
                        CEILING_TARGET_PUT_EVENTS,
                        r.ceilingRatio(),
                        r.ceilingRatio() >= CEILING_TARGET_PUT_EVENTS ? "met" : "missed"));
        System.out.printf(
                Locale.ROOT,
                "target: p99 ack < %.0f ms at half the maximum rate: %.1f ms (%s)%n",
                P99_TARGET_MS,
                half.p99Ms(),
                half.p99Ms() < P99_TARGET_MS ? "met" : "missed");
        rows.stream().filter(r -> r.route().equals("wrk")).forEach(w -> {
            String javaScenario = w.scenario().replace(", wrk", "");
            rows.stream()
                    .filter(r -> r.scenario().equals(javaScenario))
                    .findFirst()
                    .ifPresent(r -> System.out.printf(
                            Locale.ROOT,
                            "check: %s: Java load generator %.0f requests/s, wrk %.0f requests/s (%.2f x)%n",
                            javaScenario,
                            r.requestsPerSecond(),
                            w.requestsPerSecond(),
                            r.requestsPerSecond() / w.requestsPerSecond()));
        });
        System.out.printf(Locale.ROOT, "gateway peak RSS: %.0f MiB (%s)%n", peakRssMiB, ChildJvms.javaOpts());
    }

    private static void write(Path results, List<Row> rows, double peakRssMiB) throws Exception {
        Files.createDirectories(results);
        StringBuilder csv = new StringBuilder(
                "scenario,route,batch,requests_per_second,events_per_second,ratio_to_baseline,ratio_to_ceiling,p50_ms,"
                        + "p99_ms,p999_ms,gateway_cpu_us_per_event,machine_cpu_us_per_event,machine_busy,failed_requests,"
                        + "peak_rss_mib\n");
        for (Row row : rows) {
            csv.append(String.join(
                            ",",
                            "\"" + row.scenario() + "\"",
                            row.route(),
                            Integer.toString(row.batch()),
                            fmt0(row.requestsPerSecond()),
                            String.format(Locale.ROOT, "%.0f", row.eventsPerSecond()),
                            fmt(row.ratio()),
                            fmt(row.ceilingRatio()),
                            fmt(row.p50Ms()),
                            fmt(row.p99Ms()),
                            fmt(row.p999Ms()),
                            fmt(row.cpuMicrosPerEvent()),
                            fmt(row.machineCpuMicrosPerEvent()),
                            String.format(Locale.ROOT, "%.2f", row.machineUtilization()),
                            Long.toString(row.failures()),
                            fmt0(row.peakRssMiB())))
                    .append('\n');
        }
        Files.writeString(results.resolve("load.csv"), csv);
        List<SvgBarChart.Bar> bars = rows.stream()
                .filter(r -> !Double.isNaN(r.ratio()))
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

    private static String fmt0(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.0f", value);
    }

    private static String fmt(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
    }
}
