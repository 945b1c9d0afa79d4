package io.authstream.gateway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.normalize.EventBridgeNormalizer;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.normalize.NormalizationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Jazzer over the PutEvents body, as the gateway handles it after the signature: parsed into
 * entries, each accepted one normalised and its time bounded. The only outcomes are a 400
 * AwsError for the body, a per-entry error, an event, or a NormalizationException (dead letter).
 */
class PutEventsRequestFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Instant RECEIVED_AT = Instant.parse("2025-08-01T09:30:00Z");
    private static final EventTimeBounds BOUNDS = EventTimeBounds.defaults();

    static Stream<byte[]> requests() {
        return Stream.of(
                        "{\"Entries\":[{\"Source\":\"com.example.app\",\"DetailType\":\"user.signed_in\",\"Time\":1754040600.25,"
                                + "\"Resources\":[\"arn:x\"],\"EventBusName\":\"default\",\"Detail\":\"{\\\"eventId\\\":\\\"pe-1\\\","
                                + "\\\"userId\\\":\\\"auth0|pe\\\",\\\"email\\\":\\\"pe@example.com\\\",\\\"success\\\":\\\"true\\\"}\"}]}",
                        "{\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"Auth0 log\",\"Time\":\"2025-08-01T09:29:00Z\",\"Detail\":"
                                + "\"{\\\"log_id\\\":\\\"l-1\\\",\\\"data\\\":{\\\"type\\\":\\\"s\\\",\\\"date\\\":\\\"2025-08-01T09:28:00Z\\\"}}\"},"
                                + "{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{not json\"}]}",
                        // What fuzzing found: a Time beyond a double (PutEventsRequestFindingsTest).
                        "{\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{}\",\"Time\":1e999}]}")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    @DictionaryEntries({
        "\"Entries\"",
        "\"Source\"",
        "\"DetailType\"",
        "\"Detail\"",
        "\"Time\"",
        "\"Resources\"",
        "\"EventBusName\"",
        "\"Auth0 log\"",
        "1e999",
        "-1e309",
        "9223372036854775808",
        "\"timestamp\"",
        "\"eventId\""
    })
    @MethodSource("requests")
    @FuzzTest(maxDuration = "10s")
    void parse(byte[] body) throws IOException {
        // The reference reading: Jackson's tree of the whole body, whose Entries the parse must find.
        JsonNode tree = null;
        boolean readable = true;
        try {
            tree = JSON.readTree(body);
        } catch (IOException e) {
            readable = false;
        }
        JsonNode expected = tree == null ? null : tree.get("Entries");
        List<PutEventsRequest.Entry> entries;
        try {
            entries = PutEventsRequest.parse(body, "eu-west-1", RECEIVED_AT);
        } catch (AwsError e) {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.type()).isIn("SerializationException", "ValidationException");
            assertThat(e.type()).isEqualTo(readable ? "ValidationException" : "SerializationException");
            return;
        }
        assertThat(expected).isNotNull();
        assertThat(entries).hasSize(expected.size()).hasSizeBetween(1, PutEventsRequest.MAX_ENTRIES);
        for (int i = 0; i < entries.size(); i++) {
            PutEventsRequest.Entry entry = entries.get(i);
            assertThat(entry.raw()).isNotNull();
            // Each entry keeps its exact text, which reads back as the tree's element; bytes that
            // are not UTF-8 are written from the tree (where 1e999 becomes the text "Infinity").
            if (!entry.raw().equals(expected.get(i).toString())) {
                assertThat(JSON.readTree(entry.raw())).isEqualTo(expected.get(i));
            }
            if (!entry.accepted()) {
                assertThat(entry.errorMessage()).isNotBlank();
                continue;
            }
            try {
                BOUNDS.check(EventBridgeNormalizer.normalizeApplication(
                        entry.envelope(), entry.raw(), GatewayServer.SOURCE_PUT_EVENTS, RECEIVED_AT));
            } catch (NormalizationException e) {
                assertThat(e.reason()).isNotNull();
            }
        }
    }
}
