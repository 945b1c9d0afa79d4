package io.authstream.streams.analytics;

import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** A window's count, and for rates its total (numerator / denominator). */
public record Tally(long count, long total) {

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

    public boolean isRate() {
        return total > 0;
    }
}
