package io.authstream.localstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.gateway.http.GatewayServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A load generator for the reliability tests: clients post batches of uniquely numbered Auth0
 * Log Streams sign-ins ({@code <run>-<n>}, event time {@code t0 + n * 10 ms}, users chosen by
 * {@code n}), and retry a batch with the same ids on 503 or a connection error, as Auth0 does,
 * until it is accepted. Counts what happened.
 */
final class LogStreamLoad {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");

    private final String gatewayUrl;
    private final String authorization;
    private final String run;
    private final int users;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private IntFunction<ObjectNode> events = this::signIn;

    final Set<String> sent = ConcurrentHashMap.newKeySet();
    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final AtomicInteger unavailable = new AtomicInteger();
    final AtomicInteger connectionErrors = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    LogStreamLoad(String gatewayUrl, String authorization, String run, int users) {
        this.gatewayUrl = gatewayUrl;
        this.authorization = authorization;
        this.run = run;
        this.users = users;
    }

    /** Events to post instead of sign-ins; event {@code n} must carry {@link #eventId}(n) as its log_id. */
    LogStreamLoad withEvents(IntFunction<ObjectNode> events) {
        this.events = events;
        return this;
    }

    String user(int n) {
        return "auth0|" + run + "-u" + (n % users);
    }

    String eventId(int n) {
        return run + "-" + n;
    }

    ObjectNode signIn(int n) {
        ObjectNode record = JSON.createObjectNode().put("log_id", eventId(n));
        record.putObject("data")
                .put("date", T0.plusMillis(n * 10L).toString())
                .put("type", "s")
                .put("user_id", user(n))
                .put("user_name", run + "-u" + (n % users) + "@example.com")
                .put("ip", "203.0.113." + (n % users))
                .put("connection", "Username-Password-Authentication")
                .put("strategy", "auth0")
                .put("client_id", "aI61p8I8aFjmYRliLWgvM9ev97kCCNDB")
                .put("client_name", "Default App");
        return record;
    }

    /**
     * Posts events {@code 0..events-1} in batches of {@code batch} from {@code clients} threads,
     * each batch retried until accepted or {@code giveUpAfter} passed; each client pauses
     * {@code pause} between its batches.
     */
    void run(int events, int batch, int clients, Duration giveUpAfter) throws Exception {
        run(events, batch, clients, giveUpAfter, Duration.ZERO);
    }

    void run(int events, int batch, int clients, Duration giveUpAfter, Duration pause) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            workers.add(pool.submit(() -> {
                int from;
                while ((from = next.getAndAdd(batch)) < events) {
                    postUntilAccepted(from, Math.min(from + batch, events), giveUpAfter);
                    Thread.sleep(pause.toMillis());
                }
                return null;
            }));
        }
        try {
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    void postUntilAccepted(int from, int to, Duration giveUpAfter) throws IOException, InterruptedException {
        ArrayNode body = JSON.createArrayNode();
        for (int n = from; n < to; n++) {
            body.add(events.apply(n));
            sent.add(eventId(n));
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        long deadline = System.nanoTime() + giveUpAfter.toNanos();
        while (System.nanoTime() < deadline) {
            requests.incrementAndGet();
            HttpResponse<String> answer;
            try {
                answer = http.send(
                        HttpRequest.newBuilder(URI.create(gatewayUrl + GatewayServer.LOG_STREAM_PATH))
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", authorization)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                connectionErrors.incrementAndGet();
                Thread.sleep(200);
                continue;
            }
            if (answer.statusCode() == 200) {
                for (int n = from; n < to; n++) {
                    acked.add(eventId(n));
                }
                return;
            }
            if (answer.statusCode() != 503) {
                throw new AssertionError(
                        "only back-pressure may be retried, got " + answer.statusCode() + " " + answer.body());
            }
            unavailable.incrementAndGet();
            // Retry-After is in whole seconds; a quarter of it keeps the test short and still backs off.
            Thread.sleep(
                    Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1")) * 250);
        }
        throw new AssertionError(
                "events " + eventId(from) + ".." + eventId(to - 1) + " not accepted within " + giveUpAfter);
    }
}
