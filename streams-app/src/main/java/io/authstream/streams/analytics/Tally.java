package io.authstream.streams.analytics;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
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
                if (bytes.length != 2 * Long.BYTES) {
                    throw new SerializationException("a tally is 16 bytes (count, total), not " + bytes.length);
                }
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                return checked(new Tally(buffer.getLong(), buffer.getLong()));
            });

    /**
     * A tally read from a topic is one this application could have written: nothing negative,
     * and for a rate no more failures than attempts. Else it is refused (the record is
     * dead-lettered) rather than added into a window no later record could put right.
     */
    private static Tally checked(Tally tally) {
        if (tally.count < 0 || tally.total < 0 || (tally.total > 0 && tally.count > tally.total)) {
            throw new SerializationException(
                    "not a tally this application writes: count " + tally.count + ", total " + tally.total);
        }
        return tally;
    }

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
