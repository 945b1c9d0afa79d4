package io.authstream.connectmetrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/** GET /metrics and the value of one sample in it. */
final class Scrapes {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Scrapes() {}

    static HttpResponse<String> get(int port) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample whose name and labels start with {@code prefix}, e.g. {@code a_total{x="1"}. */
    static OptionalDouble value(String scrape, String prefix) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(prefix) && !line.startsWith("#")) {
                String value = line.substring(line.lastIndexOf(' ') + 1);
                return OptionalDouble.of(
                        switch (value) {
                            case "NaN" -> Double.NaN;
                            case "+Inf" -> Double.POSITIVE_INFINITY;
                            case "-Inf" -> Double.NEGATIVE_INFINITY;
                            default -> Double.parseDouble(value);
                        });
            }
        }
        return OptionalDouble.empty();
    }

    static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
