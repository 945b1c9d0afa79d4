package io.authstream.schemas.serde;

import io.authstream.schemas.registry.SchemaRegistryClient;
import io.authstream.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records (generated or generic) in the Confluent wire format, registering or looking
 * up their schema under {@code <topic>-value} ({@code <topic>-key} for keys): Confluent's
 * TopicNameStrategy.
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

    /** Generic records may hold timestamps as millis or as {@link java.time.Instant}; both are written. */
    private static final GenericData GENERIC_WITH_LOGICAL_TYPES = new GenericData();

    static {
        GENERIC_WITH_LOGICAL_TYPES.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        GENERIC_WITH_LOGICAL_TYPES.addLogicalTypeConversion(new TimeConversions.TimestampMicrosConversion());
        GENERIC_WITH_LOGICAL_TYPES.addLogicalTypeConversion(new TimeConversions.DateConversion());
    }

    private SchemaRegistryClient registry;
    private boolean isKey;
    private boolean autoRegister;
    private boolean useLatestVersion;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    /**
     * A buffered encoder per thread, reused: the direct encoder wrote every varint byte by byte
     * into a synchronized stream, and a new buffered one would allocate its buffer per record.
     */
    private final ThreadLocal<BinaryEncoder> encoders = new ThreadLocal<>();

    /** For Kafka's reflective instantiation; {@link #configure} must follow. */
    public AvroSerializer() {}

    public AvroSerializer(Map<String, ?> configs, boolean isKey) {
        configure(configs, isKey);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        AvroSerdeConfig config = new AvroSerdeConfig(configs);
        this.registry = config.registryClient();
        this.isKey = isKey;
        this.autoRegister = config.autoRegisterSchemas();
        this.useLatestVersion = config.useLatestVersion();
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        String subject = Subjects.forTopic(topic, isKey);
        Schema recordSchema = record.getSchema();
        try {
            if (useLatestVersion) {
                SchemaRegistryClient.RegisteredSchema latest = registry.latest(subject);
                return frame(latest.id(), latest.schema(), asWrittenBy(latest.schema(), record));
            }
            int id = autoRegister ? registry.register(subject, recordSchema) : registry.lookUp(subject, recordSchema);
            return frame(id, recordSchema, record);
        } catch (SchemaRegistryException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "cannot serialize " + recordSchema.getFullName() + " for subject " + subject + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private byte[] frame(int schemaId, Schema writerSchema, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        byte[] header = new byte[WireFormat.HEADER_SIZE];
        WireFormat.writeHeader(ByteBuffer.wrap(header), schemaId);
        out.write(header);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, encoders.get());
        encoders.set(encoder);
        writerFor(writerSchema, datum).write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private DatumWriter<Object> writerFor(Schema schema, Object datum) {
        return writers.computeIfAbsent(
                schema,
                s -> datum instanceof SpecificRecordBase specific
                        ? new SpecificDatumWriter<>(s, specific.getSpecificData())
                        : new GenericDatumWriter<>(s, GENERIC_WITH_LOGICAL_TYPES));
    }

    /**
     * A record whose own schema differs from the subject's latest is converted to the latest by
     * Avro's schema resolution (fields matched by name, defaults filled in), so the bytes always
     * match the schema id in their header.
     */
    private Object asWrittenBy(Schema latest, T record) throws IOException {
        if (latest.equals(record.getSchema())) {
            return record;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        writerFor(record.getSchema(), record).write(record, encoder);
        encoder.flush();
        GenericDatumReader<Object> resolver = new GenericDatumReader<>(record.getSchema(), latest);
        return resolver.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }
}
