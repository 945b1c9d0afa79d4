package io.authstream.gateway.auth0;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.gateway.FuzzSeeds;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.gateway.ingest.BodyItem;
import io.authstream.gateway.ingest.JsonBatchParser;
import io.authstream.gateway.ingest.MalformedBodyException;
import io.authstream.normalize.ActionsNormalizer;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventBridgeNormalizer;
import io.authstream.normalize.EventStreamNormalizer;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.normalize.JsonFields;
import io.authstream.normalize.NormalizationException;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jazzer over every normaliser, fed what the gateway feeds them: a body through JsonBatchParser,
 * each event normalised for its route, its time bounded (EventTimeBounds, as the gateway does
 * next), then written by the gateway's Avro serializer to the real registry of a test stack and
 * read back. The only outcomes are an event that serializes, a NormalizationException (a dead
 * letter) or MalformedBodyException (400); anything else, an Avro error included, is a finding.
 *
 * <p>An input's first byte picks the route (see {@link FuzzSeeds}), the rest is the body. For
 * the Actions route each body item is an object with the call's "topic", "subject" and
 * "message" (text, or an object standing for its JSON text).
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NormalizersFuzzIT {

    private static final Instant RECEIVED_AT = Instant.parse("2026-11-23T12:00:00Z");
    private static final EventTimeBounds BOUNDS = EventTimeBounds.defaults();
    private static final String TOPIC = Topics.AUTH_EVENTS_RAW.name();

    private final AvroSerializer<AuthEvent> serializer;
    private final AvroDeserializer<AuthEvent> deserializer;

    NormalizersFuzzIT(TestStack stack) {
        serializer = new AvroSerializer<>(stack.serdeConfig(), false);
        deserializer = new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig());
    }

    static Stream<byte[]> routedSamples() {
        return FuzzSeeds.routedBodies();
    }

    @DictionaryEntries({
        "\"log_id\"",
        "\"_id\"",
        "\"data\"",
        "\"date\"",
        "\"type\"",
        "\"user_id\"",
        "\"user_name\"",
        "\"location_info\"",
        "\"latitude\"",
        "\"longitude\"",
        "\"country_code\"",
        "\"details\"",
        "\"error\"",
        "\"strategy\"",
        "\"description\"",
        "\"specversion\"",
        "\"spec_version\"",
        "\"time\"",
        "\"id\"",
        "\"object\"",
        "\"identities\"",
        "\"detail-type\"",
        "\"detail\"",
        "\"Auth0 log\"",
        "\"eventId\"",
        "\"timestamp\"",
        "\"success\"",
        "\"topic\"",
        "\"subject\"",
        "\"message\"",
        "\"com.auth0.",
        "\"1.0\"",
        "\"s\"",
        "\"f\"",
        "1e999",
        "9223372036854775808",
        "-62135596800000",
        "\"+999999999-12-31T23:59:59Z\"",
        "\"1969-12-31T23:59:59Z\""
    })
    @MethodSource("routedSamples")
    @FuzzTest(maxDuration = "20s")
    void normalize(byte[] input) {
        byte route = input.length == 0 ? 0 : (byte) Math.floorMod(input[0], 4);
        byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        List<BodyItem> items;
        try {
            items = JsonBatchParser.parse(body);
        } catch (MalformedBodyException e) {
            return;
        }
        for (BodyItem item : items) {
            if (item.isParsed()) {
                takeOrDeadLetter(() -> normalizeFor(route, item.json(), item.raw()));
            }
        }
    }

    private static AuthEvent normalizeFor(byte route, JsonNode json, String raw) {
        return switch (route) {
            case FuzzSeeds.LOG_STREAM ->
                Auth0LogNormalizer.normalize(json, raw, GatewayServer.SOURCE_LOG_STREAM, RECEIVED_AT);
            case FuzzSeeds.EVENT_STREAM ->
                EventStreamNormalizer.normalize(json, raw, GatewayServer.SOURCE_EVENT_STREAM, RECEIVED_AT);
            case FuzzSeeds.EVENTBRIDGE ->
                EventBridgeNormalizer.normalize(json, raw, GatewayServer.SOURCE_EVENTBRIDGE, RECEIVED_AT);
            default -> {
                JsonNode message = json.get("message");
                String text = message == null ? raw : message.isContainerNode() ? message.toString() : message.asText();
                yield ActionsNormalizer.normalize(
                        JsonFields.text(json, "topic"),
                        JsonFields.text(json, "subject"),
                        text,
                        GatewayServer.SOURCE_ACTIONS,
                        RECEIVED_AT);
            }
        };
    }

    private void takeOrDeadLetter(Supplier<AuthEvent> normalizer) {
        AuthEvent event;
        try {
            event = BOUNDS.check(normalizer.get());
        } catch (NormalizationException e) {
            assertThat(e.reason()).isNotNull();
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        byte[] written = serializer.serialize(TOPIC, event);
        AuthEvent read = deserializer.deserialize(TOPIC, written);
        assertThat(read.getEventId()).isNotNull();
        assertThat(read.getOccurredAt()).isEqualTo(event.getOccurredAt());
    }
}
