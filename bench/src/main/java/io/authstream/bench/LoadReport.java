package io.authstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.embedded.EmbeddedStack;
import io.authstream.embedded.FreePorts;
import io.authstream.gateway.GatewayConfig;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventKeys;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Gateway throughput and ack latency against the baseline of a plain Kafka producer on the same
 * broker, in the same run: the producer sends records of the size the gateway produces with the
 * gateway's producer settings (idempotent, acks=all, linger 5 ms, lz4); the gateway is driven by
 * {@link LoadGenerator} in its own process with 1-, 10- and 100-event bodies. Prints a table
 * and writes {@code load.csv}. Arguments: {@code [output directory] [seconds per scenario]}.
 */
public final class LoadReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Enough clients in flight that the per-request wait for acks (linger 5 ms) does not cap the rate. */
    private static final int CONCURRENCY = 32;
    /** Distinct records, so compression sees realistic data rather than one record repeated. */
    private static final int DISTINCT_RECORDS = 1000;

    private LoadReport() {}

    public static void main(String[] args) throws Exception {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        GeneratedClasses.trust();
        Path data = Files.createTempDirectory("authstream-bench");
        System.out.println("starting the embedded stack in " + data + " ...");
        try (EmbeddedStack stack = new EmbeddedStack(new EmbeddedStack.Settings(data, FreePorts.next(), FreePorts.next(),
                FreePorts.next(), FreePorts.next(), 3), step -> System.out.println("  " + step)).start()) {
            List<String[]> rows = new ArrayList<>();
            Map<String, Object> serde = Map.of("schema.registry.url", stack.schemaRegistryUrl());

            // The baseline sends exactly what the gateway sends for the same load: the normalised,
            // serialised events of the load generator's bodies, with their keys.
            AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(serde, false);
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            long bytes = 0;
            for (JsonNode record : JSON.readTree(LoadGenerator.body("baseline", 0, DISTINCT_RECORDS))) {
                AuthEvent event = Auth0LogNormalizer.normalize(record, record.toString(), "auth0.log-stream", Instant.now());
                byte[] value = serializer.serialize(Topics.AUTH_EVENTS_RAW.name(), event);
                bytes += value.length;
                records.add(new ProducerRecord<>(Topics.AUTH_EVENTS_RAW.name(), EventKeys.of(event), value));
            }
            System.out.printf("baseline: plain producer, the gateway's records (%d distinct, %d bytes on average), acks=all, %d s ...%n",
                    DISTINCT_RECORDS, bytes / DISTINCT_RECORDS, seconds);
            double baseline = producerBaseline(stack.bootstrapServers(), records, seconds);
            rows.add(new String[] {"kafka producer (baseline)", "-", fmt(baseline), "1.00", "-", "-", "-"});
            System.out.printf("  %.0f records/s%n", baseline);

            String token = "Bearer " + UUID.randomUUID();
            Map<String, String> env = new HashMap<>();
            env.put("GATEWAY_PORT", "0");
            env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
            env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
            env.put("AUTH0_LOG_STREAM_AUTHORIZATION", token);
            GatewayConfig config = GatewayConfig.fromEnvironment(env);
            try (EventPublisher publisher = new EventPublisher(config.producerConfig(), new AvroSerializer<AuthEvent>(config.serdeConfig(), false));
                    GatewayServer server = new GatewayServer(config, publisher, Clock.systemUTC()).start()) {
                for (int batch : List.of(1, 10, 100)) {
                    System.out.printf("gateway: %d-event bodies, %d clients, %d s (load generator in its own process) ...%n", batch,
                            CONCURRENCY, seconds);
                    JsonNode result = generate(server.url() + GatewayServer.LOG_STREAM_PATH, token, batch, seconds);
                    double rate = result.get("eventsPerSecond").asDouble();
                    System.out.printf("  %.0f events/s (%.2f x baseline), ack p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, %d failed requests%n",
                            rate, rate / baseline, result.get("p50Ms").asDouble(), result.get("p99Ms").asDouble(),
                            result.get("p999Ms").asDouble(), result.get("failures").asLong());
                    rows.add(new String[] {"gateway, " + batch + "-event bodies", Integer.toString(batch), fmt(rate), fmt2(rate / baseline),
                            fmt2(result.get("p50Ms").asDouble()), fmt2(result.get("p99Ms").asDouble()), fmt2(result.get("p999Ms").asDouble())});
                }
            }
            System.out.println();
            System.out.printf("%-28s %12s %12s %8s %8s %8s%n", "scenario", "events/s", "x baseline", "p50 ms", "p99 ms", "p99.9 ms");
            for (String[] row : rows) {
                System.out.printf("%-28s %12s %12s %8s %8s %8s%n", row[0], row[2], row[3], row[4], row[5], row[6]);
            }
            Files.createDirectories(results);
            StringBuilder csv = new StringBuilder("scenario,batch,events_per_second,ratio_to_baseline,p50_ms,p99_ms,p999_ms\n");
            rows.forEach(row -> csv.append(String.join(",", row)).append('\n'));
            Files.writeString(results.resolve("load.csv"), csv);
            System.out.println("written " + results.resolve("load.csv"));
        }
    }

    /** Records per second a plain producer gets acknowledged within {@code seconds}. */
    static double producerBaseline(String bootstrap, List<ProducerRecord<String, byte[]>> records, int seconds) {
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
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
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
            throw new IllegalStateException(failed.get() + " baseline records failed");
        }
        return acked.get() / ((System.nanoTime() - started) / 1e9);
    }

    private static JsonNode generate(String url, String token, int batch, int seconds) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LoadGenerator.class.getName(), url, token, Integer.toString(batch),
                Long.toString(Long.MAX_VALUE), Integer.toString(seconds), Integer.toString(CONCURRENCY),
                "bench-" + batch + "-" + UUID.randomUUID().toString().substring(0, 8))
                .redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                }
            }
        }
        if (process.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the load generator failed (exit " + process.exitValue() + ")");
        }
        return JSON.readTree(result);
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.0f", value);
    }

    private static String fmt2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
