package io.authstream.streams.serde;

import io.authstream.schemas.GeneratedClasses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary of one generated class, without the registry header: for state stores and
 * their changelogs, which only this application reads, so the schema is the class's own and no
 * registry round trip sits on the processing path.
 */
public final class StateAvroSerde<T extends SpecificRecord> implements Serde<T> {

    static {
        GeneratedClasses.trust();
    }

    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;

    public StateAvroSerde(Class<T> type) {
        SpecificData data = SpecificData.getForClass(type);
        this.writer = new SpecificDatumWriter<>(data.getSchema(type), data);
        this.reader = new SpecificDatumReader<>(data.getSchema(type), data.getSchema(type), data);
    }

    public byte[] toBytes(T value) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(256);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode state value: " + e.getMessage(), e);
        }
    }

    public T fromBytes(byte[] bytes, int offset, int length) {
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, offset, length, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode state value: " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : toBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : fromBytes(bytes, 0, bytes.length);
    }
}
