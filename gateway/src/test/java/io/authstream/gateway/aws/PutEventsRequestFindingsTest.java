package io.authstream.gateway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What fuzzing (and reading around it) found in PutEventsRequest, kept as regression tests. */
class PutEventsRequestFindingsTest {

    private static final Instant RECEIVED_AT = Instant.parse("2025-08-01T09:30:00Z");

    /**
     * PutEventsRequestFuzzTest's finding: a Time beyond a double (1e999, which Jackson reads as
     * Infinity) made BigDecimal throw NumberFormatException out of parse, so the gateway answered
     * 500 (logged with a stack) and the AWS SDK retried it.
     */
    @Test
    void aTimeBeyondADoubleIsThatEntrysInvalidArgument() {
        byte[] body = "{\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{}\",\"Time\":1e999}]}"
                .getBytes(StandardCharsets.UTF_8);

        List<PutEventsRequest.Entry> entries = PutEventsRequest.parse(body, "eu-west-1", RECEIVED_AT);

        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.accepted()).isFalse();
            assertThat(entry.errorCode()).isEqualTo("InvalidArgument");
            assertThat(entry.errorMessage()).contains("Time");
        });
    }

    /** longValue() wrapped these into 1970 and the year 122 821 817, which the event-time bounds could then take. */
    @Test
    void aTimeBeyondALongOfMillisecondsIsRefusedNotWrapped() {
        for (String time : List.of("1e308", "1e18", "-9.3e15")) {
            byte[] body = ("{\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{}\",\"Time\":" + time
                            + "}]}")
                    .getBytes(StandardCharsets.UTF_8);
            assertThat(PutEventsRequest.parse(body, "eu-west-1", RECEIVED_AT))
                    .as(time)
                    .singleElement()
                    .satisfies(entry -> {
                        assertThat(entry.accepted()).isFalse();
                        assertThat(entry.errorMessage()).contains("beyond any representable time");
                    });
        }
        byte[] ordinary =
                "{\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{}\",\"Time\":1754040600.25}]}"
                        .getBytes(StandardCharsets.UTF_8);
        assertThat(PutEventsRequest.parse(ordinary, "eu-west-1", RECEIVED_AT)
                        .get(0)
                        .envelope()
                        .get("time")
                        .asText())
                .isEqualTo("2025-08-01T09:30:00.250Z");
    }

    /**
     * Each entry keeps its exact text (it was written back out from the tree, a quarter of reading
     * a call); what readTree would make of the body still decides: the last Entries counts, and
     * what follows the object is ignored.
     */
    @Test
    void entriesKeepTheirExactTextAndAreReadAsJacksonsTreeReadsThem() {
        String entry = "{ \"Source\" : \"s\",\"DetailType\":\"d\",\n \"Detail\":\"{\\\"a\\\":\\\"\\u00e9\\\"}\"}";
        byte[] body = ("{\"Entries\":[{\"Source\":\"first\"}],\"Other\":[1,{\"x\":[]}],\"Entries\":[" + entry
                        + "]} trailing")
                .getBytes(StandardCharsets.UTF_8);

        List<PutEventsRequest.Entry> entries = PutEventsRequest.parse(body, "eu-west-1", RECEIVED_AT);

        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.accepted()).isTrue();
            assertThat(e.raw()).isEqualTo(entry);
            assertThat(e.envelope().path("detail").path("a").asText()).isEqualTo("\u00e9");
        });
    }

    @Test
    void aBodyThatIsNotAnObjectOrWhoseLastEntriesIsNotAnArrayHasNoEntries() {
        for (String body : List.of("[{\"Entries\":[]}]", "\"Entries\"", "{\"Entries\":[{}],\"Entries\":{}}", "  ")) {
            assertThatThrownBy(() ->
                            PutEventsRequest.parse(body.getBytes(StandardCharsets.UTF_8), "eu-west-1", RECEIVED_AT))
                    .as(body)
                    .isInstanceOfSatisfying(
                            AwsError.class, e -> assertThat(e.type()).isEqualTo("ValidationException"));
        }
        assertThatThrownBy(() -> PutEventsRequest.parse(
                        "{\"Entries\":[{}".getBytes(StandardCharsets.UTF_8), "eu-west-1", RECEIVED_AT))
                .isInstanceOfSatisfying(
                        AwsError.class, e -> assertThat(e.type()).isEqualTo("SerializationException"));
    }
}
