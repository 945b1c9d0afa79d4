package io.authstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;

/**
 * A load generator in its own process. {@code concurrency} clients send requests of {@code batch}
 * events to one gateway route until {@code maxEvents} were accepted or {@code maxSeconds} passed:
 * Auth0 Log Streams bodies over HTTP, or EventBridge PutEvents calls through the AWS SDK's own
 * client (SigV4-signed, at most 10 entries per call as in AWS).
 *
 * <p>With {@code ratePerSecond} 0 the clients send back to back (closed loop: the maximum rate).
 * Otherwise requests are due at a fixed rate and each latency is measured from when its request
 * was due, not when a client got round to it, so a stalled gateway shows in the percentiles
 * instead of silently lowering the offered load (coordinated omission).
 *
 * <p>Bodies come from a pool built before the clock starts, so the generator spends its CPU on
 * sending, not on writing JSON. Prints one line {@code RESULT {json}}.
 *
 * <p>Arguments: route(log-stream|put-events) url credential batch maxEvents maxSeconds concurrency
 * ratePerSecond runId. The credential is the Authorization header value, or
 * {@code accessKey:secretKey} for PutEvents.
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int POOL = 128;
    static final String LOG_STREAM = "log-stream";
    static final String PUT_EVENTS = "put-events";

    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        String route = args[0];
        URI url = URI.create(args[1]);
        String credential = args[2];
        int batch = Integer.parseInt(args[3]);
        long maxEvents = Long.parseLong(args[4]);
        long maxNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[5]));
        int concurrency = Integer.parseInt(args[6]);
        double ratePerSecond = Double.parseDouble(args[7]);
        String run = args[8];

        Sender sender = switch (route) {
            case LOG_STREAM -> logStreamSender(url, credential, run, batch);
            case PUT_EVENTS -> putEventsSender(url, credential, run, batch, concurrency);
            default ->
                throw new IllegalArgumentException(
                        "route must be " + LOG_STREAM + " or " + PUT_EVENTS + ", got " + route);
        };
        Histogram latencyMicros = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        AtomicLong accepted = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicLong tickets = new AtomicLong();
        long intervalNanos = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
        long started = System.nanoTime();
        long deadline = started + maxNanos;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < concurrency; c++) {
            Thread client = new Thread(
                    () -> {
                        while (accepted.get() < maxEvents) {
                            long ticket = tickets.getAndIncrement();
                            long due = intervalNanos == 0 ? System.nanoTime() : started + ticket * intervalNanos;
                            if (due >= deadline) {
                                return;
                            }
                            while (System.nanoTime() < due) {
                                LockSupport.parkNanos(due - System.nanoTime());
                            }
                            if (System.nanoTime() >= deadline) {
                                return;
                            }
                            boolean ok;
                            try {
                                ok = sender.send((int) (ticket % POOL));
                            } catch (Exception e) {
                                ok = false;
                            }
                            latencyMicros.recordValue((System.nanoTime() - due) / 1_000);
                            requests.incrementAndGet();
                            if (ok) {
                                accepted.addAndGet(batch);
                            } else {
                                failures.incrementAndGet();
                            }
                        }
                    },
                    "client-" + c);
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            client.join();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ObjectNode result = JSON.createObjectNode()
                .put("route", route)
                .put("batch", batch)
                .put("events", accepted.get())
                .put("requests", requests.get())
                .put("failures", failures.get())
                .put("seconds", seconds)
                .put("eventsPerSecond", accepted.get() / seconds)
                .put("p50Ms", latencyMicros.getValueAtPercentile(50) / 1000.0)
                .put("p99Ms", latencyMicros.getValueAtPercentile(99) / 1000.0)
                .put("p999Ms", latencyMicros.getValueAtPercentile(99.9) / 1000.0);
        System.out.println("RESULT " + result);
        System.exit(0); // the SDK's connection reaper is not a daemon thread
    }

    /** Sends pooled request number {@code i}; true when the gateway accepted every event. */
    private interface Sender {
        boolean send(int i) throws Exception;
    }

    private static Sender logStreamSender(URI url, String authorization, String run, int batch) {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<HttpRequest> pool = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            pool.add(HttpRequest.newBuilder(url)
                    .header("Authorization", authorization)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body(run, (long) i * batch, batch)))
                    .build());
        }
        return i ->
                http.send(pool.get(i), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    }

    // The SDK deprecates its Apache 4 client for the Apache 5 one, another artifact; this client
    // only needs a connection limit, which both have.
    @SuppressWarnings("deprecation")
    private static Sender putEventsSender(URI url, String accessKeyAndSecret, String run, int batch, int concurrency) {
        if (batch > 10) {
            throw new IllegalArgumentException("PutEvents takes at most 10 entries per call, got " + batch);
        }
        String[] credentials = accessKeyAndSecret.split(":", 2);
        EventBridgeClient client = EventBridgeClient.builder()
                .endpointOverride(url)
                .region(Region.US_EAST_1)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(credentials[0], credentials[1])))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(concurrency))
                .overrideConfiguration(o -> o.retryStrategy(r -> r.maxAttempts(1)))
                .build();
        List<PutEventsRequest> pool = new ArrayList<>();
        for (int i = 0; i < POOL; i++) {
            List<PutEventsRequestEntry> entries = new ArrayList<>();
            for (int e = 0; e < batch; e++) {
                long n = (long) i * batch + e;
                entries.add(PutEventsRequestEntry.builder()
                        .source("com.example.token-exchange")
                        .detailType("user.signed_in")
                        .time(Instant.ofEpochMilli(1_767_225_600_000L + n))
                        .detail(JSON.createObjectNode()
                                .put("eventId", run + "-" + n)
                                .put("userId", "auth0|load-" + (n % 1000))
                                .put("email", "load" + (n % 1000) + "@example.com")
                                .put("provider", "auth0")
                                .put("ip", "198.51.100." + (n % 250))
                                .toString())
                        .build());
            }
            pool.add(PutEventsRequest.builder().entries(entries).build());
        }
        return i -> {
            PutEventsResponse response = client.putEvents(pool.get(i));
            return response.failedEntryCount() == 0;
        };
    }

    /** {@code count} Auth0 log records, unique log ids, a handful of users and IPs. */
    static byte[] body(String run, long first, int count) {
        ArrayNode records = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            records.add(logRecord(
                    run, first + i, Instant.ofEpochMilli(1_767_225_600_000L + first + i), n -> n % 5 == 0 ? "f" : "s"));
        }
        try {
            return JSON.writeValueAsBytes(records);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One Auth0 Log Streams record number {@code n} of a run: user and IP cycle over 1000 and 250 values. */
    static ObjectNode logRecord(String run, long n, Instant date, java.util.function.LongFunction<String> type) {
        ObjectNode data = JSON.createObjectNode()
                .put("date", date.toString())
                .put("type", type.apply(n))
                .put("user_id", "auth0|load-" + (n % 1000))
                .put("user_name", "load" + (n % 1000) + "@example.com")
                .put("ip", "198.51.100." + (n % 250))
                .put("client_id", "aI61p8I8aFjmYRliLWgvM9ev97kCCNDB")
                .put("client_name", "Default App")
                .put("connection", "Username-Password-Authentication")
                .put("strategy", "auth0")
                .put("user_agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36");
        ObjectNode record = JSON.createObjectNode().put("log_id", run + "-" + n);
        record.set("data", data);
        return record;
    }
}
