package io.authstream.streams.http.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's answers by status, read from its Prometheus endpoint
 * ({@code authstream_gateway_requests_total{route,status}}), the gateway's documented metrics API.
 */
final class GatewayAnswers {

    static final String METRIC = "authstream_gateway_requests_total";

    private static final Pattern SAMPLE = Pattern.compile("^" + METRIC + "\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * @param reachable whether the last scrape answered 200
     * @param problem why not, in words (no body echoed: it may be anything)
     */
    record Answers(
            String url,
            boolean reachable,
            String problem,
            long total,
            Map<String, Long> byStatus,
            Map<String, Map<String, Long>> byRoute) {}

    private final Optional<URI> url;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    GatewayAnswers(Optional<URI> url) {
        this.url = url;
    }

    /** Empty when no gateway metrics URL is set. */
    Optional<Answers> read() {
        if (url.isEmpty()) {
            return Optional.empty();
        }
        String where = url.get().toString();
        try {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(url.get())
                            .timeout(Duration.ofSeconds(3))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return Optional.of(unreachable(where, "answered " + answer.statusCode()));
            }
            return Optional.of(parse(where, answer.body()));
        } catch (java.io.IOException e) {
            return Optional.of(
                    unreachable(where, "not reachable: " + e.getClass().getSimpleName()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(unreachable(where, "interrupted"));
        }
    }

    private static Answers unreachable(String url, String problem) {
        return new Answers(url, false, problem, 0, Map.of(), Map.of());
    }

    /** The request counters of a Prometheus text exposition, summed by status and by route and status. */
    static Answers parse(String url, String exposition) {
        Map<String, Long> byStatus = new TreeMap<>();
        Map<String, Map<String, Long>> byRoute = new TreeMap<>();
        long total = 0;
        for (String line : exposition.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.find()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(sample.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            long count = (long) Double.parseDouble(sample.group(2));
            String status = labels.getOrDefault("status", "unknown");
            String route = labels.getOrDefault("route", "unknown");
            byStatus.merge(status, count, Long::sum);
            byRoute.computeIfAbsent(route, r -> new TreeMap<>()).merge(status, count, Long::sum);
            total += count;
        }
        return new Answers(url, true, null, total, byStatus, byRoute);
    }
}
