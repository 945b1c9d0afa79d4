package io.authstream.opscli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.Topics;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.registry.SchemaRegistryClient;
import io.authstream.schemas.serde.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.LogicalType;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record as one JSON object: topic, partition, offset, timestamp, key, headers and value.
 * A value in the registry's wire format is decoded with its writer schema from the registry (times
 * as ISO-8601); any other value is text when it is UTF-8, else base64 ({@code valueBase64}). A
 * dead letter's headers are read into {@code deadLetter} (code, detail, source, receivedAt) and its
 * body is kept as it came, never decoded.
 */
final class RecordJson {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SchemaRegistryClient registry;
    private final Map<Integer, Optional<Schema>> schemas = new ConcurrentHashMap<>();

    /** @param registry the registry Avro values are decoded through, or null to show them as bytes */
    RecordJson(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    ObjectNode of(ConsumerRecord<byte[], byte[]> record) {
        ObjectNode json = NODES.objectNode();
        json.put("topic", record.topic());
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        putBytes(json, "key", record.key());
        boolean deadLetter = Topics.AUTH_EVENTS_DEADLETTER.name().equals(record.topic());
        if (deadLetter) {
            DeadLetterRecord letter = DeadLetterRecord.of(record);
            ObjectNode reason = json.putObject("deadLetter");
            reason.put("reason", letter.code());
            reason.put("detail", letter.detail());
            reason.put("source", letter.source());
            reason.put("receivedAt", letter.headers().get(DeadLetterHeaders.RECEIVED_AT));
            reason.put("size", letter.size());
        }
        if (record.headers().toArray().length > 0) {
            ObjectNode headers = json.putObject("headers");
            for (Header header : record.headers()) {
                if (deadLetter && header.key().startsWith("authstream.error.")) {
                    continue;
                }
                putBytes(headers, header.key(), header.value());
            }
        }
        byte[] value = record.value();
        Optional<JsonNode> avro = deadLetter ? Optional.empty() : avro(record.topic(), value);
        if (avro.isPresent()) {
            json.set("value", avro.get());
        } else {
            putBytes(json, "value", value);
        }
        return json;
    }

    /** Text when the bytes are UTF-8 (null stays null), else {@code <name>Base64}. */
    static void putBytes(ObjectNode json, String name, byte[] bytes) {
        if (bytes == null) {
            json.putNull(name);
            return;
        }
        Optional<String> text = utf8(bytes);
        if (text.isPresent()) {
            json.put(name, text.get());
        } else {
            json.put(name + "Base64", Base64.getEncoder().encodeToString(bytes));
        }
    }

    /** The bytes as text when they are valid UTF-8. */
    static Optional<String> utf8(byte[] bytes) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private Optional<JsonNode> avro(String topic, byte[] value) {
        if (registry == null
                || value == null
                || value.length < WireFormat.HEADER_SIZE
                || value[0] != WireFormat.MAGIC_BYTE) {
            return Optional.empty();
        }
        int id = ByteBuffer.wrap(value, 1, 4).getInt();
        Optional<Schema> schema = schemas.computeIfAbsent(id, this::lookUp);
        if (schema.isEmpty()) {
            return Optional.empty();
        }
        try {
            Object datum = new GenericDatumReader<>(schema.get(), schema.get(), GenericData.get())
                    .read(
                            null,
                            DecoderFactory.get()
                                    .binaryDecoder(
                                            value,
                                            WireFormat.HEADER_SIZE,
                                            value.length - WireFormat.HEADER_SIZE,
                                            null));
            return Optional.of(toJson(schema.get(), datum));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private Optional<Schema> lookUp(int id) {
        try {
            return Optional.of(registry.schemaById(id));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A generic datum as JSON: unions unwrapped, timestamps and dates as ISO-8601, bytes as base64. */
    static JsonNode toJson(Schema schema, Object datum) {
        if (datum == null) {
            return NODES.nullNode();
        }
        LogicalType logical = schema.getLogicalType();
        switch (schema.getType()) {
            case UNION:
                return toJson(schema.getTypes().get(GenericData.get().resolveUnion(schema, datum)), datum);
            case RECORD: {
                ObjectNode object = NODES.objectNode();
                GenericRecord record = (GenericRecord) datum;
                for (Schema.Field field : schema.getFields()) {
                    object.set(field.name(), toJson(field.schema(), record.get(field.pos())));
                }
                return object;
            }
            case ARRAY: {
                ArrayNode array = NODES.arrayNode();
                for (Object item : (Iterable<?>) datum) {
                    array.add(toJson(schema.getElementType(), item));
                }
                return array;
            }
            case MAP: {
                ObjectNode object = NODES.objectNode();
                ((Map<?, ?>) datum).forEach((k, v) -> object.set(k.toString(), toJson(schema.getValueType(), v)));
                return object;
            }
            case LONG:
                if (logical != null && logical.getName().equals("timestamp-millis")) {
                    return NODES.textNode(Instant.ofEpochMilli((Long) datum).toString());
                }
                if (logical != null && logical.getName().equals("timestamp-micros")) {
                    long micros = (Long) datum;
                    return NODES.textNode(Instant.ofEpochSecond(
                                    Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000)
                            .toString());
                }
                return NODES.numberNode((Long) datum);
            case INT:
                if (logical != null && logical.getName().equals("date")) {
                    return NODES.textNode(LocalDate.ofEpochDay((Integer) datum).toString());
                }
                return NODES.numberNode((Integer) datum);
            case FLOAT:
                return NODES.numberNode((Float) datum);
            case DOUBLE:
                return NODES.numberNode((Double) datum);
            case BOOLEAN:
                return NODES.booleanNode((Boolean) datum);
            case BYTES: {
                ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            case FIXED:
                return NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) datum).bytes()));
            default:
                // STRING, ENUM
                return NODES.textNode(datum.toString());
        }
    }
}
