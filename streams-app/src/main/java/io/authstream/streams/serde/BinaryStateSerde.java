package io.authstream.streams.serde;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A compact serde for a small state object written field by field ({@link StateOutput}, in
 * {@link java.io.DataOutputStream}'s format): for stores only this application reads, where an
 * Avro schema would be ceremony.
 */
public final class BinaryStateSerde {

    /** Writes one value's fields. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T value, StateOutput out) throws IOException;
    }

    /** Reads one value's fields, in the order its writer wrote them. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(StateInput in) throws IOException;
    }

    private BinaryStateSerde() {}

    public static <T> Serde<T> of(Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom(
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    StateOutput out = new StateOutput();
                    try {
                        writer.write(value, out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return out.toByteArray();
                },
                (topic, data) -> {
                    if (data == null) {
                        return null;
                    }
                    try {
                        return reader.read(new StateInput(data));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
