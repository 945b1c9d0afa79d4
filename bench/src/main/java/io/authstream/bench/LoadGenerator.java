package io.authstream.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
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
 * <p>Arguments: route(log-stream|event-stream|put-events) url credential batch maxEvents maxSeconds concurrency
 * ratePerSecond runId. The credential is the Authorization header value, or
 * {@code accessKey:secretKey} for PutEvents.
 */
public final class LoadGenerator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int POOL = 128;
    static final String LOG_STREAM = "log-stream";
    static final String PUT_EVENTS = "put-events";
    static final String EVENT_STREAM = "event-stream";
    /** PutEvents through the AWS SDK's own client (its CPU cost per call is the client's, not the gateway's). */
    static final String PUT_EVENTS_SDK = "put-events-sdk";

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
            case LOG_STREAM -> httpSender(url, credential, i -> body(run, (long) i * batch, batch));
            case EVENT_STREAM -> httpSender(url, credential, i -> eventStreamBody(run, (long) i * batch, batch));
            case PUT_EVENTS -> signedPutEventsSender(url, credential, run, batch);
            case PUT_EVENTS_SDK -> putEventsSender(url, credential, run, batch, concurrency);
            default ->
                throw new IllegalArgumentException(
                        "route must be " + LOG_STREAM + ", " + EVENT_STREAM + " or " + PUT_EVENTS + ", got " + route);
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

    /**
     * POSTs over one kept-alive HTTP/1.1 connection per client thread, written and read on a
     * plain blocking socket: the requests are bytes built before the clock starts, and reading an
     * answer is finding its status and Content-Length. The JDK's {@code HttpClient} first used
     * here cost the machine ~700 µs of CPU per request and capped the HTTP ceiling at a fifth of
     * what wrk measured on the same server; this costs about what wrk costs.
     */
    private static Sender httpSender(URI url, String authorization, java.util.function.IntFunction<byte[]> body) {
        return rawSender(
                url,
                i -> request(
                        url,
                        "Authorization: " + authorization + "\r\nContent-Type: application/json\r\n",
                        body.apply(i)));
    }

    /** A POST to {@code url} with {@code headers} (each line ending in CRLF) and {@code content}. */
    private static byte[] request(URI url, String headers, byte[] content) {
        String path = url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + hostHeader(url) + "\r\n" + headers + "Content-Length: "
                        + content.length + "\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        byte[] request = java.util.Arrays.copyOf(head, head.length + content.length);
        System.arraycopy(content, 0, request, head.length, content.length);
        return request;
    }

    private static String hostHeader(URI url) {
        return url.getHost() + ":" + (url.getPort() < 0 ? 80 : url.getPort());
    }

    /**
     * PutEvents calls of {@code batch} entries, SigV4-signed (AWS's documented algorithm) when the
     * pool is built, sent on the same plain connections as the webhook bodies: the gateway
     * verifies each signature as it would the AWS SDK's.
     */
    private static Sender signedPutEventsSender(URI url, String accessKeyAndSecret, String run, int batch) {
        if (batch > 10) {
            throw new IllegalArgumentException("PutEvents takes at most 10 entries per call, got " + batch);
        }
        String[] credentials = accessKeyAndSecret.split(":", 2);
        String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
        String contentType = "application/x-amz-json-1.1";
        String target = "AWSEvents.PutEvents";
        return rawSender(
                url,
                i -> {
                    ArrayNode entries = JSON.createArrayNode();
                    for (int e = 0; e < batch; e++) {
                        long n = (long) i * batch + e;
                        entries.addObject()
                                .put("Source", "com.example.token-exchange")
                                .put("DetailType", "user.signed_in")
                                .put("Time", (1_767_225_600_000L + n) / 1000.0)
                                .put(
                                        "Detail",
                                        JSON.createObjectNode()
                                                .put("eventId", run + "-" + n)
                                                .put("userId", "auth0|load-" + (n % 1000))
                                                .put("email", "load" + (n % 1000) + "@example.com")
                                                .put("provider", "auth0")
                                                .put("ip", "198.51.100." + (n % 250))
                                                .toString());
                    }
                    ObjectNode call = JSON.createObjectNode();
                    call.set("Entries", entries);
                    byte[] content = call.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    String payloadHash = hex(sha256(content));
                    String signed = "content-type;host;x-amz-date;x-amz-target";
                    String canonical = "POST\n" + (url.getRawPath().isEmpty() ? "/" : url.getRawPath()) + "\n\n"
                            + "content-type:" + contentType + "\nhost:" + hostHeader(url) + "\nx-amz-date:" + amzDate
                            + "\nx-amz-target:" + target + "\n\n" + signed + "\n" + payloadHash;
                    String scope = amzDate.substring(0, 8) + "/us-east-1/events/aws4_request";
                    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                            + hex(sha256(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    byte[] key = hmac(
                            ("AWS4" + credentials[1]).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                            amzDate.substring(0, 8));
                    for (String part : new String[] {"us-east-1", "events", "aws4_request"}) {
                        key = hmac(key, part);
                    }
                    String authorization = "AWS4-HMAC-SHA256 Credential=" + credentials[0] + "/" + scope
                            + ", SignedHeaders=" + signed + ", Signature=" + hex(hmac(key, toSign));
                    return request(
                            url,
                            "Authorization: " + authorization + "\r\nContent-Type: " + contentType + "\r\nX-Amz-Date: "
                                    + amzDate + "\r\nX-Amz-Target: " + target + "\r\n",
                            content);
                },
                body -> body.contains("\"FailedEntryCount\":0"));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** Sends pooled request {@code i} ({@code request} builds the pool's bytes up front); 200 is success. */
    private static Sender rawSender(URI url, java.util.function.IntFunction<byte[]> request) {
        return rawSender(url, request, body -> true);
    }

    /** As above; a 200 counts as success only when {@code accepted} takes its body. */
    private static Sender rawSender(
            URI url, java.util.function.IntFunction<byte[]> request, java.util.function.Predicate<String> accepted) {
        List<byte[]> pool = new ArrayList<>();
        String host = url.getHost();
        int port = url.getPort() < 0 ? 80 : url.getPort();
        for (int i = 0; i < POOL; i++) {
            pool.add(request.apply(i));
        }
        ThreadLocal<RawConnection> connections = new ThreadLocal<>();
        return i -> {
            RawConnection connection = connections.get();
            if (connection == null || connection.closed) {
                connection = new RawConnection(host, port);
                connections.set(connection);
            }
            try {
                return connection.exchange(pool.get(i)) == 200
                        && accepted.test(new String(connection.body, java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                connection.close();
                throw e;
            }
        };
    }

    /** One client's kept-alive connection: writes a request, reads one answer, gives its status. */
    private static final class RawConnection {

        private final java.net.Socket socket;
        private final java.io.OutputStream out;
        private final java.io.InputStream in;
        private final byte[] buffer = new byte[16 * 1024];
        private int start;
        private int end;
        boolean closed;
        /** The last answer's body. */
        byte[] body = new byte[0];

        RawConnection(String host, int port) throws java.io.IOException {
            socket = new java.net.Socket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        }

        int exchange(byte[] request) throws java.io.IOException {
            out.write(request);
            out.flush();
            int headersEnd;
            while ((headersEnd = indexOfHeadersEnd()) < 0) {
                fill();
            }
            String headers =
                    new String(buffer, start, headersEnd - start, java.nio.charset.StandardCharsets.ISO_8859_1);
            start = headersEnd + 4;
            int status = Integer.parseInt(headers.substring(9, 12));
            int length = 0;
            boolean close = false;
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = line.substring(0, colon).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(line.substring(colon + 1).trim());
                } else if (name.equalsIgnoreCase("Connection")
                        && line.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                    close = true;
                }
            }
            body = new byte[length];
            int copied = 0;
            while (copied < length) {
                if (start == end) {
                    fill();
                }
                int n = Math.min(length - copied, end - start);
                System.arraycopy(buffer, start, body, copied, n);
                copied += n;
                start += n;
            }
            if (close) {
                close();
            }
            return status;
        }

        private int indexOfHeadersEnd() {
            for (int i = start; i + 3 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private void fill() throws java.io.IOException {
            if (start == end) {
                start = 0;
                end = 0;
            } else if (end == buffer.length) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                throw new java.io.EOFException("the server closed the connection");
            }
            end += n;
        }

        void close() {
            closed = true;
            try {
                socket.close();
            } catch (java.io.IOException e) {
                // closing anyway
            }
        }
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

    /**
     * {@code count} Auth0 Event Streams CloudEvents ({@code user.created}), unique ids; one event is
     * sent as one JSON object, as Auth0 sends it, more as an array.
     */
    static byte[] eventStreamBody(String run, long first, int count) {
        ArrayNode events = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            events.add(cloudEvent(run, first + i));
        }
        try {
            return JSON.writeValueAsBytes(count == 1 ? events.get(0) : events);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One Event Streams CloudEvent number {@code n} of a run. */
    static ObjectNode cloudEvent(String run, long n) {
        ObjectNode event = JSON.createObjectNode()
                .put("specversion", "1.0")
                .put("type", "com.auth0.user.created")
                .put("source", "urn:auth0:bench.eu.auth0.com")
                .put("id", run + "-" + n)
                .put("time", Instant.ofEpochMilli(1_767_225_600_000L + n).toString())
                .put("a0tenant", "bench")
                .put("a0stream", "est_bench");
        ObjectNode user = event.putObject("data")
                .putObject("object")
                .put("user_id", "auth0|load-" + (n % 1000))
                .put("email", "load" + (n % 1000) + "@example.com")
                .put("email_verified", false)
                .put("name", "Load " + (n % 1000))
                .put("picture", "https://s.gravatar.com/avatar/00000000000000000000000000000000?s=480")
                .put("created_at", Instant.ofEpochMilli(1_767_225_600_000L + n).toString());
        user.putArray("identities")
                .addObject()
                .put("provider", "auth0")
                .put("connection", "Username-Password-Authentication")
                .put("user_id", "load-" + (n % 1000))
                .put("isSocial", false);
        return event;
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
