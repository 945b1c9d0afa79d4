package io.authstream.bench;

import io.authstream.embedded.EmbeddedStack;
import io.authstream.enrich.geo.GeoIpLookup;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.streams.StreamsApp;
import io.authstream.streams.StreamsAppConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The whole Streams app (exactly-once, RocksDB, every processor and sink) on the embedded broker,
 * working through the same backlog of sign-ins with enrichment off (the baseline) and on: does
 * enrichment slow the topology down? A third run gives every event a user agent never seen
 * before, the worst case for the parser's cache (e.g. an attack rotating agents). Each run gets
 * a fresh stack; the figures count from the first committed offset to the last, so start-up and
 * the parser's initialisation are not in them. Two figures per run: events per second (wall
 * clock), and CPU time of this process (broker, registry and app are all in it) per event, which
 * another load on a shared machine disturbs much less. A first run, not counted, warms the JIT up
 * (the first run in a JVM was twice as costly as later ones); then the scenarios run interleaved, twice.
 * Arguments: {@code [output directory] [events]}.
 */
// Apps and workers opened in try-with-resources run for the block without being referred to.
@SuppressWarnings("try")
public final class EnrichmentTopologyReport {

    private static final int USERS = 10_000;
    private static final int ROUNDS = 2;

    /** One run's figures. */
    private record Run(double eventsPerSecond, double cpuMicrosPerEvent) {}

    private enum Scenario {
        OFF("enrichment off (baseline)", false, false),
        ON("enrichment on, 200 distinct agents", true, false),
        ON_NEW_AGENTS("enrichment on, every agent new", true, true);

        final String label;
        final boolean enriched;
        final boolean distinctAgents;

        Scenario(String label, boolean enriched, boolean distinctAgents) {
            this.label = label;
            this.enriched = enriched;
            this.distinctAgents = distinctAgents;
        }
    }

    private EnrichmentTopologyReport() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        GeneratedClasses.trust();
        List<String> addresses;
        try (GeoIpLookup geo = GeoIpLookup.open(EnrichmentInputs.databases())) {
            addresses = EnrichmentInputs.locatedAddresses(geo, false, EnrichmentBenchmark.ADDRESSES, 4);
        }
        System.out.printf(
                "load average at start: %.2f (2 cores; the machine may be shared)%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("warm-up run (not counted):");
        run(Scenario.ON_NEW_AGENTS, events, addresses);
        Map<Scenario, List<Run>> runs = new HashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (Scenario scenario : Scenario.values()) {
                runs.computeIfAbsent(scenario, s -> new ArrayList<>()).add(run(scenario, events, addresses));
            }
        }
        double baseRate = mean(runs.get(Scenario.OFF), Run::eventsPerSecond);
        double baseCpu = mean(runs.get(Scenario.OFF), Run::cpuMicrosPerEvent);
        List<String[]> rows = new ArrayList<>();
        for (Scenario scenario : Scenario.values()) {
            double rate = mean(runs.get(scenario), Run::eventsPerSecond);
            double cpu = mean(runs.get(scenario), Run::cpuMicrosPerEvent);
            rows.add(new String[] {
                scenario.label,
                String.format(Locale.ROOT, "%.0f", rate),
                String.format(Locale.ROOT, "%.2f", rate / baseRate),
                String.format(Locale.ROOT, "%.0f", cpu),
                String.format(Locale.ROOT, "%.2f", cpu / baseCpu)
            });
        }
        ResultTable.printAndWrite(
                "%-40s %10s %12s %14s %12s%n",
                List.of(
                        "Streams app, " + events + " sign-ins, mean of " + ROUNDS,
                        "events/s",
                        "x baseline",
                        "CPU us/event",
                        "x baseline"),
                rows,
                "scenario,events_per_second,rate_ratio_to_baseline,cpu_us_per_event,cpu_ratio_to_baseline",
                results.resolve("enrichment-topology.csv"));
    }

    private static double mean(List<Run> runs, java.util.function.ToDoubleFunction<Run> figure) {
        return runs.stream().mapToDouble(figure).average().orElseThrow();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** How fast, and at what CPU cost, the app works through the backlog, in a fresh stack. */
    private static Run run(Scenario scenario, int events, List<String> addresses) throws Exception {
        System.out.printf("%s: starting a fresh embedded stack ...%n", scenario.label);
        try (EmbeddedStack stack = BenchStack.start(step -> {})) {
            Path data = stack.settings().dataDir();
            produce(stack, scenario, events, addresses);
            Map<String, String> env = StreamsAppEnv.of(stack, "enrichment-bench", data.resolve("streams"), 0);
            env.put("GEOIP_DATABASE", scenario.enriched ? StreamsAppEnv.geoIpDatabases() : "off");
            env.put("USER_AGENT_PARSING", scenario.enriched ? "on" : "off");
            StreamsAppConfig config = StreamsAppConfig.fromEnvironment(env);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()));
                    StreamsApp app = StreamsApp.start(config)) {
                long firstCommitNanos = 0;
                long firstCommitCpu = 0;
                long firstCommitted = 0;
                while (true) {
                    long committed = committedOnRaw(admin);
                    long now = System.nanoTime();
                    if (firstCommitNanos == 0 && committed > 0) {
                        firstCommitNanos = now;
                        firstCommitCpu = processCpuNanos();
                        firstCommitted = committed;
                    }
                    if (committed >= events && caughtUp(admin)) {
                        long counted = events - firstCommitted;
                        double rate = counted / ((now - firstCommitNanos) / 1e9);
                        double cpu = (processCpuNanos() - firstCommitCpu) / 1e3 / counted;
                        System.out.printf(
                                Locale.ROOT,
                                "  %.0f events/s, %.0f us CPU/event (%d events after the first commit, %.1f s)%n",
                                rate,
                                cpu,
                                counted,
                                (now - firstCommitNanos) / 1e9);
                        return new Run(rate, cpu);
                    }
                    Thread.sleep(100);
                }
            }
        }
    }

    private static void produce(EmbeddedStack stack, Scenario scenario, int events, List<String> addresses)
            throws Exception {
        List<String> agents = EnrichmentInputs.userAgents();
        AvroSerializer<AuthEvent> serializer =
                new AvroSerializer<>(Map.of("schema.registry.url", stack.schemaRegistryUrl()), false);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        // Not idempotent: on a busy machine the fresh broker once answered a retried first batch with
        // OutOfOrderSequence forever; a duplicate here would only be dropped by dedup.
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.LINGER_MS_CONFIG,
                "5",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                "false");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int n = 0; n < events; n++) {
                String user = "auth0|bench-" + (n % USERS);
                Instant at = start.plusMillis(n * 10L);
                String agent = scenario.distinctAgents
                        ? agents.get(n % agents.size()) + " app/" + n
                        : agents.get(n % agents.size());
                AuthEvent event = AuthEvent.newBuilder()
                        .setEventId("bench-" + n)
                        .setSource("auth0.log-stream")
                        .setType("user.signed_in")
                        .setOriginalType("s")
                        .setOccurredAt(at)
                        .setReceivedAt(at)
                        .setTenant("bench")
                        .setUserId(user)
                        .setProvider("auth0")
                        .setConnection("Username-Password-Authentication")
                        .setClientName("Web")
                        .setIp(addresses.get(n % addresses.size()))
                        .setUserAgent(agent)
                        .setOutcome(Outcome.SUCCESS)
                        .setAttributes(Map.of("hostname", "bench.eu.auth0.com"))
                        .setRaw("{\"log_id\":\"bench-" + n + "\",\"data\":{\"type\":\"s\",\"user_id\":\"" + user
                                + "\"}}")
                        .build();
                producer.send(new ProducerRecord<>(
                        Topics.AUTH_EVENTS_RAW.name(),
                        user,
                        serializer.serialize(Topics.AUTH_EVENTS_RAW.name(), event)));
            }
            producer.flush();
        }
    }

    private static long committedOnRaw(Admin admin) throws Exception {
        return admin
                .listConsumerGroupOffsets("enrichment-bench")
                .partitionsToOffsetAndMetadata()
                .get()
                .entrySet()
                .stream()
                .filter(e -> e.getKey().topic().equals(Topics.AUTH_EVENTS_RAW.name()) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset())
                .sum();
    }

    /** Every topic the app reads (raw and its own repartition topics) consumed to the end. */
    private static boolean caughtUp(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("enrichment-bench")
                .partitionsToOffsetAndMetadata()
                .get();
        Map<TopicPartition, OffsetSpec> latest =
                committed.keySet().stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get();
        return committed.entrySet().stream()
                .allMatch(e -> e.getValue() != null
                        && e.getValue().offset() >= ends.get(e.getKey()).offset());
    }
}
