package io.authstream.teststack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.registry.RegistryConfig;
import io.authstream.registry.SchemaRegistryServer;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.registry.SchemaRegistryClient;
import io.authstream.schemas.registry.SchemaRegistryException;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerdeConfig;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.testrecords.TestSecrets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Avro serde through a real broker and the real registry. */
@ExtendWith(StackExtension.class)
class AvroSerdeIT {

    private final TestStack stack;

    AvroSerdeIT(TestStack stack) {
        this.stack = stack;
    }

    @Test
    void roundTripThroughTheBrokerPreservesEveryField() {
        String topic = TestStack.uniqueTopic("serde-roundtrip");
        stack.createTopics(topic);
        AuthEvent sent = SampleEvents.full();
        produce(topic, new AvroSerializer<>(stack.serdeConfig(), false), sent);

        List<AuthEvent> received = consume(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()), 1);
        assertThat(received).containsExactly(sent);

        // The id in the header is the one registered under <topic>-value.
        byte[] bytes = consume(topic, new ByteArrayDeserializer(), 1).get(0);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertThat(bytes[0]).isZero();
        SchemaRegistryClient registry =
                new SchemaRegistryClient(List.of(stack.schemaRegistryUrl()), null, Duration.ofSeconds(5));
        assertThat(registry.latest(topic + "-value").id()).isEqualTo(id);
        assertThat(registry.schemaById(id)).isEqualTo(AuthEvent.getClassSchema());
    }

    @Test
    void genericAndSpecificReadersAgree() {
        String topic = TestStack.uniqueTopic("serde-generic");
        stack.createTopics(topic);
        produce(topic, new AvroSerializer<>(stack.serdeConfig(), false), SampleEvents.full());

        GenericRecord generic = (GenericRecord) consume(topic, new AvroDeserializer<>(null, stack.serdeConfig()), 1)
                .get(0);
        assertThat(generic).isNotInstanceOf(AuthEvent.class);
        assertThat(generic.get("eventId").toString())
                .isEqualTo(SampleEvents.full().getEventId());
        assertThat(generic.get("occurredAt"))
                .isEqualTo(SampleEvents.full().getOccurredAt().toEpochMilli());

        Map<String, Object> specific = new HashMap<>(stack.serdeConfig());
        specific.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        Object read = consume(topic, new AvroDeserializer<>(null, specific), 1).get(0);
        assertThat(read).isEqualTo(SampleEvents.full());
    }

    @Test
    void newDefaultedFieldEvolvesBackwardCompatibly() {
        String topic = TestStack.uniqueTopic("serde-evolution");
        stack.createTopics(topic);

        // An older producer: AuthEvent before 'failureReason' existed.
        Schema older = withoutField(AuthEvent.getClassSchema(), "failureReason");
        GenericRecord oldRecord = copyInto(older, SampleEvents.full());
        produce(topic, new AvroSerializer<>(stack.serdeConfig(), false), oldRecord);

        // The current schema adds the field with a default: the registry accepts it as version 2...
        AuthEvent current = AuthEvent.newBuilder(SampleEvents.full())
                .setOutcome(Outcome.FAILURE)
                .setFailureReason("Wrong email or password.")
                .build();
        produce(topic, new AvroSerializer<>(stack.serdeConfig(), false), current);
        SchemaRegistryClient registry =
                new SchemaRegistryClient(List.of(stack.schemaRegistryUrl()), null, Duration.ofSeconds(5));
        assertThat(registry.version(topic + "-value", "latest").version()).isEqualTo(2);

        // ...and the current reader reads both, the old record with the default.
        List<AuthEvent> read = consume(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()), 2);
        assertThat(read.get(0).getFailureReason()).isNull();
        assertThat(read.get(0).getEventId()).isEqualTo(SampleEvents.full().getEventId());
        assertThat(read.get(1)).isEqualTo(current);

        // A newer producer adds another defaulted field; today's class still reads its records.
        Schema newer = withExtraField(AuthEvent.getClassSchema(), "riskScore");
        GenericRecord newRecord = copyInto(newer, current);
        newRecord.put("riskScore", 0.93);
        produce(topic, new AvroSerializer<>(stack.serdeConfig(), false), newRecord);
        assertThat(registry.version(topic + "-value", "latest").version()).isEqualTo(3);
        assertThat(consume(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()), 3)
                        .get(2))
                .isEqualTo(current);
    }

    @Test
    void incompatibleChangeIsRefusedByTheSerializer() {
        String topic = TestStack.uniqueTopic("serde-incompatible");
        stack.createTopics(topic);
        produce(topic, new AvroSerializer<>(stack.serdeConfig(), false), SampleEvents.full());

        Schema breaking = withExtraFieldWithoutDefault(AuthEvent.getClassSchema(), "mandatory");
        GenericRecord record = copyInto(breaking, SampleEvents.full());
        record.put("mandatory", "x");
        AvroSerializer<GenericRecord> serializer = new AvroSerializer<>(stack.serdeConfig(), false);
        assertThatThrownBy(() -> serializer.serialize(topic, record))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("incompatible")
                .satisfies(
                        e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(409));
    }

    @Test
    void useLatestVersionWritesWithTheRegisteredSchema() {
        String topic = TestStack.uniqueTopic("serde-latest");
        stack.createTopics(topic);
        Schema newer = withExtraField(AuthEvent.getClassSchema(), "riskScore");
        SchemaRegistryClient registry =
                new SchemaRegistryClient(List.of(stack.schemaRegistryUrl()), null, Duration.ofSeconds(5));
        registry.register(topic + "-value", AuthEvent.getClassSchema());
        int latestId = registry.register(topic + "-value", newer);

        Map<String, Object> config = new HashMap<>(stack.serdeConfig());
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        config.put(AvroSerdeConfig.USE_LATEST_VERSION, true);
        produce(topic, new AvroSerializer<>(config, false), SampleEvents.full());

        byte[] bytes = consume(topic, new ByteArrayDeserializer(), 1).get(0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(latestId);
        GenericRecord generic = (GenericRecord) consume(topic, new AvroDeserializer<>(null, stack.serdeConfig()), 1)
                .get(0);
        assertThat(generic.get("riskScore")).isNull();
        assertThat(consume(topic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()), 1))
                .containsExactly(SampleEvents.full());
    }

    @Test
    void withoutAutoRegisterAnUnknownSchemaIsAnError() {
        Map<String, Object> config = new HashMap<>(stack.serdeConfig());
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
        AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(config, false);
        assertThatThrownBy(() -> serializer.serialize(TestStack.uniqueTopic("serde-noregister"), SampleEvents.full()))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40401));
    }

    @Test
    void unknownSchemaIdIsNamed() {
        byte[] bytes = new byte[] {0, 0x7f, 0, 0, 1, 2};
        AvroDeserializer<AuthEvent> deserializer = new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig());
        assertThatThrownBy(() -> deserializer.deserialize("auth.events.raw", bytes))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("unknown schema id " + 0x7f000001)
                .satisfies(e ->
                        assertThat(((SchemaRegistryException) e).errorCode()).isEqualTo(40403));
    }

    @Test
    void truncatedAvroBodyIsASerializationError() {
        String topic = TestStack.uniqueTopic("serde-truncated");
        byte[] good = new AvroSerializer<AuthEvent>(stack.serdeConfig(), false).serialize(topic, SampleEvents.full());
        byte[] truncated = java.util.Arrays.copyOf(good, 20);
        AvroDeserializer<AuthEvent> deserializer = new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig());
        assertThatThrownBy(() -> deserializer.deserialize(topic, truncated))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode Avro record with schema id");
    }

    @Test
    void basicAuthCredentialsReachTheRegistry() {
        TestSecrets.registerCredential("svc:correct-horse");
        TestSecrets.registerCredential("svc:battery-staple");
        try (SchemaRegistryServer secured = new SchemaRegistryServer(
                        RegistryConfig.of("127.0.0.1", 0, stack.bootstrapServers())
                                .withStoreTopic(TestStack.uniqueTopic("_schemas-auth"))
                                .withBasicAuth("svc:correct-horse"))
                .start()) {
            String topic = TestStack.uniqueTopic("serde-auth");
            Map<String, Object> good = Map.of(
                    AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                    secured.url(),
                    AvroSerdeConfig.BASIC_AUTH_USER_INFO,
                    "svc:correct-horse");
            byte[] bytes = new AvroSerializer<AuthEvent>(good, false).serialize(topic, SampleEvents.full());
            assertThat(new AvroDeserializer<>(AuthEvent.class, good).deserialize(topic, bytes))
                    .isEqualTo(SampleEvents.full());

            Map<String, Object> wrong = Map.of(
                    AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                    secured.url(),
                    AvroSerdeConfig.BASIC_AUTH_USER_INFO,
                    "svc:battery-staple");
            assertThatThrownBy(() -> new AvroSerializer<AuthEvent>(wrong, false).serialize(topic, SampleEvents.full()))
                    .isInstanceOf(SchemaRegistryException.class)
                    .hasMessageNotContaining("battery-staple")
                    .satisfies(e ->
                            assertThat(((SchemaRegistryException) e).status()).isEqualTo(401));
        }
    }

    // ---- helpers ----

    private <V> void produce(String topic, org.apache.kafka.common.serialization.Serializer<V> serializer, V value) {
        stack.produce(topic, serializer, List.of(value));
    }

    private <V> List<V> consume(
            String topic, org.apache.kafka.common.serialization.Deserializer<V> deserializer, int count) {
        return stack.consume(topic, deserializer, count).stream()
                .map(ConsumerRecord::value)
                .toList();
    }

    private static Schema withoutField(Schema schema, String field) {
        ObjectNode json = parse(schema);
        ArrayNode fields = (ArrayNode) json.get("fields");
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).path("name").asText().equals(field)) {
                fields.remove(i);
                break;
            }
        }
        return new Schema.Parser().parse(json.toString());
    }

    private static Schema withExtraField(Schema schema, String field) {
        ObjectNode json = parse(schema);
        ObjectNode extra = ((ArrayNode) json.get("fields")).addObject().put("name", field);
        extra.putArray("type").add("null").add("double");
        extra.putNull("default");
        return new Schema.Parser().parse(json.toString());
    }

    private static Schema withExtraFieldWithoutDefault(Schema schema, String field) {
        ObjectNode json = parse(schema);
        ((ArrayNode) json.get("fields")).addObject().put("name", field).put("type", "string");
        return new Schema.Parser().parse(json.toString());
    }

    private static ObjectNode parse(Schema schema) {
        try {
            JsonNode node = RegistryHttp.JSON.readTree(schema.toString());
            return (ObjectNode) node;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The event's fields that exist in {@code schema}, as a generic record (timestamps as millis). */
    private static GenericRecord copyInto(Schema schema, AuthEvent event) {
        GenericRecord generic = (GenericRecord) GenericData.get().deepCopy(AuthEvent.getClassSchema(), event);
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            Schema.Field source = AuthEvent.getClassSchema().getField(field.name());
            if (source != null) {
                record.put(field.name(), generic.get(field.name()));
            }
        }
        return record;
    }
}
