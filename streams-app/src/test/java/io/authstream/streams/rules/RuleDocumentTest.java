package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.fixtures.Samples;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.avro.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    private static AuthEvent.Builder event(String raw) {
        return AuthEvent.newBuilder()
                .setEventId("e1")
                .setSource("test")
                .setType("user.sign_in_failed")
                .setOriginalType("fp")
                .setOccurredAt(AT)
                .setReceivedAt(AT.plusSeconds(1))
                .setUserId("auth0|1")
                .setIp("203.0.113.9")
                .setOutcome(Outcome.FAILURE)
                .setAttributes(Map.of("hostname", "login.example.com", "eventbridge.id", "x"))
                .setRaw(raw);
    }

    @Test
    void holdsTheEventFieldsByTheirAvroNamesAndLeavesNullsOut() {
        AuthEvent event = event("{\"type\":\"fp\"}")
                .setGeo(GeoLocation.newBuilder()
                        .setCountryCode("FR")
                        .setLatitude(48.85)
                        .build())
                .build();
        ObjectNode document = RuleDocument.of(event);
        assertThat(document.get("type").asText()).isEqualTo("user.sign_in_failed");
        assertThat(document.get("originalType").asText()).isEqualTo("fp");
        assertThat(document.get("outcome").asText()).isEqualTo("FAILURE");
        assertThat(document.get("occurredAt").asLong()).isEqualTo(AT.toEpochMilli());
        assertThat(document.get("receivedAt").asLong()).isEqualTo(AT.toEpochMilli() + 1000);
        assertThat(document.get("attributes").get("hostname").asText()).isEqualTo("login.example.com");
        assertThat(document.get("geo").get("countryCode").asText()).isEqualTo("FR");
        assertThat(document.get("geo").get("latitude").asDouble()).isEqualTo(48.85);
        assertThat(document.get("geo").has("city")).isFalse();
        assertThat(document.has("email")).isFalse();
        assertThat(document.has("device")).isFalse();
        assertThat(document.get("raw").isObject()).isTrue();
        assertThat(RuleDocument.json(event)).isEqualTo(document.toString());
    }

    @Test
    void rawIsTheAuth0LogRecordWhateverWrapsIt() throws IOException {
        String bare = "{\"type\":\"sapi\",\"description\":\"Create a role\"}";
        String logStream = "{\"log_id\":\"L1\",\"data\":" + bare + "}";
        String eventBridge =
                "{\"version\":\"0\",\"detail-type\":\"Auth0 log\",\"source\":\"aws.partner/auth0.com/t/1\","
                        + "\"detail\":" + logStream + "}";
        for (String raw : new String[] {bare, logStream, eventBridge}) {
            JsonNode document = RuleDocument.of(event(raw).build());
            assertThat(document.get("raw")).as(raw).isEqualTo(JSON.readTree(bare));
        }
    }

    @Test
    void aCloudEventIsKeptWhole() throws IOException {
        String cloudEvent =
                "{\"specversion\":\"1.0\",\"type\":\"com.auth0.user.created\",\"data\":{\"object\":{\"user_id\":\"auth0|1\"}}}";
        assertThat(RuleDocument.of(event(cloudEvent).build()).get("raw")).isEqualTo(JSON.readTree(cloudEvent));
    }

    @Test
    void rawThatIsNotJsonIsLeftOut() {
        assertThat(RuleDocument.of(event("not json").build()).has("raw")).isFalse();
        assertThat(RuleDocument.of(event("42").build()).has("raw")).isFalse();
        assertThat(RuleDocument.of(event("").build()).has("raw")).isFalse();
        assertThat(RuleDocument.of(event("{\"a\":").build()).has("raw")).isFalse();
    }

    @Test
    void aSampleSapiRecordAsTheGatewayMakesIt() throws IOException {
        String raw = new String(Samples.bytes("log-stream/014_sapi_create-log-stream.json"), StandardCharsets.UTF_8);
        AuthEvent event = Auth0LogNormalizer.normalize(JSON.readTree(raw), raw, "auth0.log-stream", AT);
        JsonNode document = RuleDocument.of(event);
        assertThat(document.get("originalType").asText()).isEqualTo("sapi");
        assertThat(FieldPaths.valueAt(document, "raw.details.request.path")).contains("/api/v2/log-streams");
        assertThat(FieldPaths.valueAt(document, "raw.details.request.method")).contains("post");
        assertThat(FieldPaths.valueAt(document, "raw.details.request.auth.user.email"))
                .contains("neo.theone@gmail.com");
        RuleMatcher matcher = RuleMatcher.of(java.util.List.of(RuleMatcherTest.rule(
                "log-stream-created",
                "{\"originalType\":[\"sapi\"],\"raw\":{\"details\":{\"request\":{\"method\":[{\"equals-ignore-case\":\"POST\"}],"
                        + "\"path\":[{\"suffix\":\"/log-streams\"}]}}}}")));
        assertThat(matcher.matches(event)).containsExactly("log-stream-created");
    }
}
