package io.authstream.schemas.serde;

import io.authstream.schemas.registry.SchemaRegistryClient;
import io.authstream.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro. The writer schema comes from the registry by the id in the
 * header; the reader schema is the target class's when one is given (or, with
 * {@code specific.avro.reader=true}, the generated class named by the writer schema), else the
 * writer schema itself and the result is a {@link org.apache.avro.generic.GenericRecord}.
 * Avro's schema resolution bridges writer and reader, so records written with an older or newer
 * compatible schema read fine.
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private final Class<T> targetType;
    private SchemaRegistryClient registry;
    private boolean specificReader;
    private final Map<Integer, DatumReader<Object>> readers = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public AvroDeserializer() {
        this(null);
    }

    /** Reads into {@code targetType} (a generated class) whatever the writer schema. */
    public AvroDeserializer(Class<T> targetType) {
        this.targetType = targetType;
    }

    public AvroDeserializer(Class<T> targetType, Map<String, ?> configs) {
        this(targetType);
        configure(configs, false);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.registry = config.registryClient();
        this.specificReader = targetType != null || config.specificAvroReader();
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        ByteBuffer buffer = ByteBuffer.wrap(data);
        int schemaId = WireFormat.readSchemaId(topic, buffer);
        DatumReader<Object> reader = readers.computeIfAbsent(schemaId, this::readerFor);
        try {
            @SuppressWarnings("unchecked")
            T value = (T) reader.read(
                    null, DecoderFactory.get().binaryDecoder(data, buffer.position(), buffer.remaining(), null));
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot decode Avro record with schema id " + schemaId + " on topic " + topic + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private DatumReader<Object> readerFor(int schemaId) {
        Schema writer;
        try {
            writer = registry.schemaById(schemaId);
        } catch (SchemaRegistryException e) {
            if (e.errorCode() == 40403 || e.status() == 404) {
                throw new SchemaRegistryException(
                        "unknown schema id " + schemaId + ": " + e.getMessage(), e.status(), e.errorCode());
            }
            throw e;
        }
        if (!specificReader) {
            return new GenericDatumReader<>(writer, writer, GenericData.get());
        }
        Schema reader = targetType != null ? SpecificData.get().getSchema(targetType) : generatedSchemaFor(writer);
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }

    private static Schema generatedSchemaFor(Schema writer) {
        Class<?> generated = SpecificData.get().getClass(writer);
        if (generated == null) {
            throw new SerializationException("specific.avro.reader=true but no generated class " + writer.getFullName()
                    + " is on the classpath");
        }
        return SpecificData.get().getSchema(generated);
    }
}
