package io.authstream.streams.http.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.streams.analytics.Granularity;
import io.authstream.streams.analytics.MetricHit;
import io.authstream.streams.analytics.Tally;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * {@code GET /analytics/sign_ins/mix?by=provider}: the sign-ins of windows starting in [from, to]
 * split by every value of one dimension, which {@code /analytics/{metric}} cannot list (it takes
 * one value). The values' keys are spread over the instances, so the instance asked reads its own
 * windows and asks each other instance for its own, and adds them up.
 */
final class DimensionMix {

    static final String FORWARDED = "X-Authstream-Forwarded";

    /** The dimensions {@code sign_ins} is counted by (docs/streams.md, "Analytics"). */
    static final Set<String> DIMENSIONS = Set.of("provider", "connection", "client");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A parsed query: window starts in [from, to]. */
    record Query(String by, Granularity granularity, Instant from, Instant to) {

        /** The first and last window-store key of the dimension ({@code =} then {@code >} sort next to each other). */
        String firstKey() {
            return MetricHit.key(MetricHit.SIGN_INS, by + "=");
        }

        String lastKey() {
            return MetricHit.key(MetricHit.SIGN_INS, by + ">");
        }
    }

    /** The answer: total sign-ins per value, and which instances' windows are in it. */
    record Mix(
            String metric,
            String granularity,
            String by,
            String from,
            String to,
            List<String> servedBy,
            Map<String, Long> values) {}

    private final HttpClient forwarder =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /**
     * @throws IllegalArgumentException naming what is wrong with the query
     */
    static Query parse(String metric, String by, String granularity, String from, String to, Instant now) {
        if (!MetricHit.SIGN_INS.equals(metric)) {
            throw new IllegalArgumentException("only " + MetricHit.SIGN_INS + " has dimensions, got '" + metric + "'");
        }
        if (by == null || !DIMENSIONS.contains(by)) {
            throw new IllegalArgumentException(
                    "by must be one of " + new java.util.TreeSet<>(DIMENSIONS) + ", got '" + by + "'");
        }
        String g = granularity == null ? "day" : granularity;
        Granularity parsed;
        try {
            parsed = Granularity.valueOf(g.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("granularity must be one of [hour, day], got '" + g + "'");
        }
        Instant end = instant("to", to, now);
        Instant start = instant("from", from, end.minus(Duration.ofDays(7)));
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("from (" + start + ") is after to (" + end + ")");
        }
        return new Query(by, parsed, start, end);
    }

    private static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 instant like 2025-03-02T00:00:00Z, got '" + value + "'");
        }
    }

    /** This instance's windows of {@code query}: total per dimension value. */
    static Map<String, Long> local(KafkaStreams streams, Query query) {
        ReadOnlyWindowStore<String, ValueAndTimestamp<Tally>> store =
                streams.store(StoreQueryParameters.fromNameAndType(
                        query.granularity().storeName(), QueryableStoreTypes.<String, Tally>timestampedWindowStore()));
        Map<String, Long> values = new TreeMap<>();
        String prefix = query.firstKey();
        try (KeyValueIterator<Windowed<String>, ValueAndTimestamp<Tally>> windows =
                store.fetch(query.firstKey(), query.lastKey(), query.from(), query.to())) {
            windows.forEachRemaining(window -> {
                String key = window.key.key();
                if (key.startsWith(prefix)) {
                    values.merge(
                            key.substring(prefix.length()), window.value.value().count(), Long::sum);
                }
            });
        }
        return values;
    }

    /**
     * The whole application's mix: this instance's windows, plus, unless this request was
     * forwarded, each other instance's (asked with {@code pathAndQuery}, marked as forwarded).
     *
     * @throws java.io.IOException when another instance does not answer 200 (the caller says 503)
     */
    Mix all(KafkaStreams streams, HostInfo self, Query query, String pathAndQuery, boolean forwarded)
            throws java.io.IOException, InterruptedException {
        Map<String, Long> values = new TreeMap<>(local(streams, query));
        List<String> servedBy = new ArrayList<>(List.of(self.host() + ":" + self.port()));
        if (!forwarded) {
            for (StreamsMetadata instance : streams.metadataForAllStreamsClients()) {
                HostInfo host = instance.hostInfo();
                if (host.equals(self)
                        || !instance.stateStoreNames()
                                .contains(query.granularity().storeName())) {
                    continue;
                }
                HttpResponse<String> answer = forwarder.send(
                        HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
                                .header(FORWARDED, self.host() + ":" + self.port())
                                .timeout(Duration.ofSeconds(10))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new java.io.IOException(host.host() + ":" + host.port() + " answered " + answer.statusCode());
                }
                JsonNode theirs = JSON.readTree(answer.body());
                theirs.get("values")
                        .properties()
                        .forEach(e -> values.merge(e.getKey(), e.getValue().asLong(), Long::sum));
                servedBy.add(host.host() + ":" + host.port());
            }
        }
        return new Mix(
                MetricHit.SIGN_INS,
                query.granularity().label(),
                query.by(),
                query.from().toString(),
                query.to().toString(),
                servedBy,
                values);
    }
}
