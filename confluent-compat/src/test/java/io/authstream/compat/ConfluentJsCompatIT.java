package io.authstream.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.testrecords.TestOutput;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our serde and registry against code this project did not write: Confluent's JavaScript Schema
 * Registry client decodes what our serializer wrote, and our deserializer decodes what
 * Confluent's serializer wrote, through our registry and a real broker.
 */
@ExtendWith(StackExtension.class)
class ConfluentJsCompatIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestStack stack;

    ConfluentJsCompatIT(TestStack stack) {
        this.stack = stack;
    }

    @Test
    void confluentJavaScriptClientAndOurSerdeReadEachOther() throws Exception {
        String javaTopic = TestStack.uniqueTopic("compat-java-to-js");
        String jsTopic = TestStack.uniqueTopic("compat-js-to-java");
        stack.createTopics(javaTopic, jsTopic);

        List<AuthEvent> written = List.of(SampleEvents.full(), SampleEvents.minimal());
        stack.produce(javaTopic, new AvroSerializer<>(stack.serdeConfig(), false), written);
        AuthEvent jsEvent = AuthEvent.newBuilder(SampleEvents.full())
                .setEventId("js-written-1")
                .setType("user.signed_up")
                .setOriginalType("ss")
                .setGeo(null)
                .build();

        List<JsonNode> lines = runCrosscheck(Map.of(
                "BOOTSTRAP_SERVERS", stack.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl(),
                "JAVA_TOPIC", javaTopic,
                "JAVA_RECORD_COUNT", Integer.toString(written.size()),
                "JS_TOPIC", jsTopic,
                "JS_EVENT_JSON", asAvscJson(jsEvent).toString(),
                "AUTH_EVENT_AVSC",
                        Path.of(System.getProperty("compat.avsc.dir"), "AuthEvent.avsc")
                                .toString()));

        // 1. Confluent's deserializer decoded exactly what we wrote.
        List<JsonNode> decoded = lines.stream()
                .filter(l -> l.path("kind").asText().equals("decoded"))
                .toList();
        assertThat(decoded).hasSize(2);
        for (int i = 0; i < written.size(); i++) {
            assertThat(decoded.get(i).path("value"))
                    .as("record %d as decoded by Confluent's JS client", i)
                    .isEqualTo(asAvscJson(written.get(i)));
        }

        // 2. The .avsc the JS client registered gets the id our client gets for the same file (ids are
        // global per schema). Our serializer's own registration differs only by the avro.java.string
        // properties the Java code generator adds, so it has an id of its own, as with Confluent's registry.
        JsonNode registered = lines.stream()
                .filter(l -> l.path("kind").asText().equals("registered"))
                .findFirst()
                .orElseThrow();
        org.apache.avro.Schema fromFile = new org.apache.avro.Schema.Parser()
                .parse(Path.of(System.getProperty("compat.avsc.dir"), "AuthEvent.avsc")
                        .toFile());
        int javaIdForFile = new io.authstream.schemas.registry.SchemaRegistryClient(
                        List.of(stack.schemaRegistryUrl()), null, Duration.ofSeconds(5))
                .register(TestStack.uniqueTopic("compat-file") + "-value", fromFile);
        assertThat(registered.path("id").asInt()).isEqualTo(javaIdForFile);
        JsonNode jsWritten = lines.stream()
                .filter(l -> l.path("kind").asText().equals("written"))
                .findFirst()
                .orElseThrow();
        assertThat(jsWritten.path("magic").asInt()).isZero();
        assertThat(jsWritten.path("schemaId").asInt()).isEqualTo(javaIdForFile);

        // 3. Our deserializer reads what Confluent's serializer wrote.
        assertThat(stack.consume(jsTopic, new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig()), 1))
                .extracting(ConsumerRecord::value)
                .containsExactly(jsEvent);
    }

    /** The event as avsc (the library under Confluent's JS client) represents it: unions unwrapped, timestamps as numbers. */
    static ObjectNode asAvscJson(AuthEvent event) {
        ObjectNode json = JSON.createObjectNode();
        for (org.apache.avro.Schema.Field field : AuthEvent.getClassSchema().getFields()) {
            Object value = event.get(field.pos());
            if (value == null) {
                json.putNull(field.name());
            } else if (value instanceof Instant instant) {
                json.put(field.name(), instant.toEpochMilli());
            } else if (value instanceof SpecificRecord nested) {
                ObjectNode g = json.putObject(field.name());
                for (org.apache.avro.Schema.Field f : nested.getSchema().getFields()) {
                    g.set(f.name(), JSON.valueToTree(nested.get(f.pos())));
                }
            } else if (value instanceof Enum<?> e) {
                json.put(field.name(), e.name());
            } else {
                json.set(field.name(), JSON.valueToTree(value));
            }
        }
        // Through text and back, so numbers get the node types the decoded side gets (an Avro long
        // such as geo.asn = 3215 reads back as an int node, and IntNode(3215) != LongNode(3215)).
        try {
            return (ObjectNode) JSON.readTree(json.toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<JsonNode> runCrosscheck(Map<String, String> env) throws IOException, InterruptedException {
        Path nodeDir = Path.of(System.getProperty("compat.node.dir"));
        // TestOutput files, which the suite audit reads: Node's output is this build's test output too.
        Path stdout = TestOutput.newFile("node-crosscheck");
        Path stderr = TestOutput.newFile("node-crosscheck-stderr");
        ProcessBuilder builder = new ProcessBuilder("node", "crosscheck.mjs")
                .directory(nodeDir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        builder.environment().putAll(env);
        builder.environment().put("KAFKAJS_NO_PARTITIONER_WARNING", "1");
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS))
                .as("node finished within 120 s")
                .isTrue();
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as("node exit code; stdout:\n%s\nstderr:\n%s", out, Files.readString(stderr, StandardCharsets.UTF_8))
                .isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                lines.add(JSON.readTree(line));
            }
        }
        assertThat(lines).last().extracting(l -> l.path("kind").asText()).isEqualTo("done");
        return lines;
    }
}
