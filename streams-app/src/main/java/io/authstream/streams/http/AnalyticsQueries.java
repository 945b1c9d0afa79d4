package io.authstream.streams.http;

import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.streams.analytics.ActiveUsers;
import io.authstream.streams.analytics.Granularity;
import io.authstream.streams.analytics.MetricHit;
import io.authstream.streams.analytics.Rollups;
import io.authstream.streams.analytics.Tally;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.datasketches.hll.HllSketch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Reads the analytics window stores of this instance (interactive queries), and says which
 * instance holds a metric's key when it is not here.
 */
public final class AnalyticsQueries {

    /** A query: metric, granularity label, optional dimension ({@code provider=auth0}) and window starts [from, to]. */
    public record Query(String metric, String granularity, String dimension, Instant from, Instant to) {

        String storeName() {
            return ActiveUsers.METRIC.equals(metric)
                    ? ActiveUsers.STORE
                    : Granularity.valueOf(granularity.toUpperCase(java.util.Locale.ROOT))
                            .storeName();
        }

        String key() {
            return ActiveUsers.METRIC.equals(metric) ? ActiveUsers.KEY : MetricHit.key(metric, dimension);
        }
    }

    static final Set<String> COUNTED =
            Set.of(MetricHit.SIGN_INS, MetricHit.FAILED_LOGIN_RATE, MetricHit.SIGN_UPS, MetricHit.NEW_USERS);

    private final KafkaStreams streams;

    AnalyticsQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    /**
     * @throws IllegalArgumentException naming what is wrong with the query
     */
    static Query parse(String metric, String granularity, String dimension, String from, String to, Instant now) {
        if (!COUNTED.contains(metric) && !ActiveUsers.METRIC.equals(metric)) {
            java.util.TreeSet<String> known = new java.util.TreeSet<>(COUNTED);
            known.add(ActiveUsers.METRIC);
            throw new IllegalArgumentException("unknown metric '" + metric + "'; known: " + String.join(", ", known));
        }
        String g = granularity == null ? "day" : granularity;
        List<String> allowed = ActiveUsers.METRIC.equals(metric)
                ? ActiveUsers.spanLabels()
                : Arrays.stream(Granularity.values()).map(Granularity::label).toList();
        if (!allowed.contains(g)) {
            throw new IllegalArgumentException(
                    "granularity of " + metric + " must be one of " + allowed + ", got '" + g + "'");
        }
        if (dimension != null && ActiveUsers.METRIC.equals(metric)) {
            throw new IllegalArgumentException("active_users has no dimensions");
        }
        Instant end = instant("to", to, now);
        Instant start = instant("from", from, end.minus(java.time.Duration.ofDays(7)));
        if (start.isAfter(end)) {
            throw new IllegalArgumentException("from (" + start + ") is after to (" + end + ")");
        }
        return new Query(metric, g, dimension == null || dimension.isBlank() ? null : dimension, start, end);
    }

    private static Instant instant(String name, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(
                    name + " must be an ISO-8601 instant like 2025-03-02T00:00:00Z, got '" + value + "'");
        }
    }

    /** Where the query's key lives: empty when no instance holds it now (rebalancing). */
    Optional<HostInfo> owner(Query query) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(
                query.storeName(), query.key(), Serdes.String().serializer());
        if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return Optional.empty();
        }
        return Optional.of(metadata.activeHost());
    }

    /** The rollups of the windows starting in [from, to], from this instance's stores. */
    List<AnalyticsRollup> local(Query query) {
        if (ActiveUsers.METRIC.equals(query.metric())) {
            ReadOnlyWindowStore<String, ValueAndTimestamp<HllSketch>> store =
                    streams.store(StoreQueryParameters.fromNameAndType(
                            ActiveUsers.STORE, QueryableStoreTypes.<String, HllSketch>timestampedWindowStore()));
            return ActiveUsers.query(
                    store,
                    ActiveUsers.spanDays(query.granularity()),
                    query.from().toEpochMilli(),
                    query.to().toEpochMilli());
        }
        Granularity granularity = Granularity.valueOf(query.granularity().toUpperCase(java.util.Locale.ROOT));
        ReadOnlyWindowStore<String, ValueAndTimestamp<Tally>> store =
                streams.store(StoreQueryParameters.fromNameAndType(
                        granularity.storeName(), QueryableStoreTypes.<String, Tally>timestampedWindowStore()));
        return Rollups.query(store, granularity, query.key(), query.from(), query.to());
    }
}
