package io.authstream.gateway.publish;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.fixtures.Samples;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.registry.SchemaRegistryClient;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerdeConfig;
import io.authstream.schemas.serde.Subjects;
import io.authstream.schemas.serde.WireFormat;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jazzer over the Avro deserializer every consumer of the pipeline's topics uses, on records
 * whatever wrote them: fuzzed Avro bytes after the wire-format header of a schema the real
 * registry of a test stack holds (AuthEvent, or another record type), of an id it does not
 * know, or with the header fuzzed too. Read into AuthEvent, as a GenericRecord, and with
 * specific.avro.reader. The only outcome besides a record is SerializationException (the
 * registry's SchemaRegistryException is one), which Kafka clients and Streams' deserialization
 * handlers take; an Error or any other exception would stop a consumer.
 *
 * <p>An input's first byte picks the header (see {@link #deserialize}), the rest follows it.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvroDeserializerFuzzIT {

    private static final String TOPIC = "fuzz.avro-deserializer";
    /** An id no registry of a test stack reaches. */
    private static final int UNKNOWN_ID = 0x7fff_fff0;

    private final int authEventId;
    private final int otherId;
    private final List<Deserializer<?>> deserializers;

    AvroDeserializerFuzzIT(TestStack stack) {
        SchemaRegistryClient registry = new AvroSerdeConfig(stack.serdeConfig()).registryClient();
        authEventId = registry.register(Subjects.forTopic(TOPIC, false), AuthEvent.getClassSchema());
        otherId = registry.register(Subjects.forTopic(TOPIC + ".other", false), SecurityAlert.getClassSchema());
        Map<String, Object> specificReader = new HashMap<>(stack.serdeConfig());
        specificReader.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        AvroDeserializer<Object> generic = new AvroDeserializer<>();
        generic.configure(stack.serdeConfig(), false);
        AvroDeserializer<Object> specific = new AvroDeserializer<>();
        specific.configure(specificReader, false);
        deserializers = List.of(new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()), generic, specific);
    }

    /** The Avro encoding (no header) of each sample Auth0 log normalised, behind header choice 0. */
    static Stream<byte[]> encodedSamples() {
        ObjectMapper json = new ObjectMapper();
        Instant receivedAt = Instant.parse("2026-11-23T12:00:00Z");
        return Samples.list("log-stream").stream().map(sample -> {
            try {
                String raw = new String(Samples.bytes(sample), StandardCharsets.UTF_8);
                AuthEvent event = Auth0LogNormalizer.normalize(json.readTree(raw), raw, "auth0.log-stream", receivedAt);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(0);
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                new SpecificDatumWriter<>(AuthEvent.class).write(event, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * First byte, modulo 4: 0 AuthEvent's id, 1 another record type's id, 2 an unknown id, each
     * after magic byte 0; 3 no header added (the rest is the whole record).
     */
    @MethodSource("encodedSamples")
    @FuzzTest(maxDuration = "15s")
    void deserialize(byte[] input) {
        int choice = input.length == 0 ? 0 : Math.floorMod(input[0], 4);
        byte[] rest = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        byte[] record = switch (choice) {
            case 0 -> framed(authEventId, rest);
            case 1 -> framed(otherId, rest);
            case 2 -> framed(UNKNOWN_ID, rest);
            default -> rest;
        };
        for (Deserializer<?> deserializer : deserializers) {
            try {
                deserializer.deserialize(TOPIC, record);
            } catch (SerializationException e) {
                // The documented refusal: the record goes to the consumer's deserialization handler.
            }
        }
    }

    private static byte[] framed(int schemaId, byte[] avro) {
        ByteBuffer buffer = ByteBuffer.allocate(WireFormat.HEADER_SIZE + avro.length);
        WireFormat.writeHeader(buffer, schemaId);
        return buffer.put(avro).array();
    }
}
