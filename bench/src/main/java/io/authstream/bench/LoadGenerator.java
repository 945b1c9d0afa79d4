package io.authstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A load generator in its own process: {@code concurrency} clients post Auth0 Log Streams bodies
 * of {@code batch} events to the gateway back to back, each waiting for its answer (which the
 * gateway gives after Kafka's acks), until {@code maxEvents} were accepted or {@code maxSeconds}
 * passed. Prints one JSON line: events/s and the per-request ack latency percentiles.
 *
 * <p>Arguments: url token batch maxEvents maxSeconds concurrency runId
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        String token = args[1];
        int batch = Integer.parseInt(args[2]);
        long maxEvents = Long.parseLong(args[3]);
        Duration maxTime = Duration.ofSeconds(Long.parseLong(args[4]));
        int concurrency = Integer.parseInt(args[5]);
        String run = args[6];

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Histogram latencyMicros = new ConcurrentHistogram(60_000_000L, 3);
        AtomicLong accepted = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        Instant deadline = Instant.now().plus(maxTime);
        long started = System.nanoTime();
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Thread client = new Thread(() -> {
                while (accepted.get() < maxEvents && Instant.now().isBefore(deadline)) {
                    byte[] body = body(run, sequence.getAndAdd(batch), batch);
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url).header("Authorization", token)
                                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        latencyMicros.recordValue((System.nanoTime() - sent) / 1_000);
                        requests.incrementAndGet();
                        if (answer.statusCode() == 200) {
                            accepted.addAndGet(batch);
                        } else {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
            }, "client-" + c);
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            client.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ObjectNode result = JSON.createObjectNode()
                .put("batch", batch).put("events", accepted.get()).put("requests", requests.get()).put("failures", failures.get())
                .put("seconds", seconds).put("eventsPerSecond", accepted.get() / seconds)
                .put("p50Ms", latencyMicros.getValueAtPercentile(50) / 1000.0)
                .put("p99Ms", latencyMicros.getValueAtPercentile(99) / 1000.0)
                .put("p999Ms", latencyMicros.getValueAtPercentile(99.9) / 1000.0);
        System.out.println("RESULT " + result);
    }

    /** {@code count} Auth0 log records, unique log ids, a handful of users and IPs. */
    static byte[] body(String run, long first, int count) {
        ArrayNode records = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            long n = first + i;
            ObjectNode data = JSON.createObjectNode().put("date", Instant.ofEpochMilli(1_767_225_600_000L + n).toString())
                    .put("type", n % 5 == 0 ? "f" : "s").put("user_id", "auth0|load-" + (n % 1000))
                    .put("user_name", "load" + (n % 1000) + "@example.com").put("ip", "198.51.100." + (n % 250))
                    .put("client_id", "aI61p8I8aFjmYRliLWgvM9ev97kCCNDB").put("client_name", "Default App")
                    .put("connection", "Username-Password-Authentication").put("strategy", "auth0")
                    .put("user_agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36");
            ObjectNode record = JSON.createObjectNode().put("log_id", run + "-" + n);
            record.set("data", data);
            records.add(record);
        }
        try {
            return JSON.writeValueAsBytes(records);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
