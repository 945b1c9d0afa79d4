package io.authstream.streams.serde;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * A compact serde for a small state object written field by field with {@link DataOutputStream}:
 * for stores only this application reads, where an Avro schema would be ceremony.
 */
public final class BinaryStateSerde {

    /** Writes one value's fields. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(T value, DataOutputStream out) throws IOException;
    }

    /** Reads one value's fields, in the order its writer wrote them. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private BinaryStateSerde() {}

    public static <T> Serde<T> of(Writer<T> writer, Reader<T> reader) {
        return Serdes.serdeFrom(
                (topic, value) -> {
                    if (value == null) {
                        return null;
                    }
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    try (DataOutputStream out = new DataOutputStream(bytes)) {
                        writer.write(value, out);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return bytes.toByteArray();
                },
                (topic, data) -> {
                    if (data == null) {
                        return null;
                    }
                    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                        return reader.read(in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }
}
