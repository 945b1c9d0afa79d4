package io.authstream.streams.analytics;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A window's count, and for rates its total (numerator / denominator). */
public record Tally(long count, long total) {

    /**
     * Also reads a single {@link MetricHit}, what the metrics' repartition topic carried before
     * partials replaced single hits: records written by an older version still count.
     */
    public static final Serde<Tally> SERDE = Serdes.serdeFrom(
            (topic, tally) -> tally == null
                    ? null
                    : ByteBuffer.allocate(16)
                            .putLong(tally.count)
                            .putLong(tally.total)
                            .array(),
            (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length == 1) {
                    return zero().add(MetricHit.SERDE.deserializer().deserialize(topic, bytes));
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                return new Tally(buffer.getLong(), buffer.getLong());
            });

    public static Tally zero() {
        return new Tally(0, 0);
    }

    public Tally add(MetricHit hit) {
        return switch (hit) {
            case COUNT -> new Tally(count + 1, total);
            case ATTEMPT_SUCCEEDED -> new Tally(count, total + 1);
            case ATTEMPT_FAILED -> new Tally(count + 1, total + 1);
        };
    }

    /** This tally and a partial one of the same window. */
    public Tally plus(Tally partial) {
        return new Tally(count + partial.count, total + partial.total);
    }

    public boolean isRate() {
        return total > 0;
    }
}
