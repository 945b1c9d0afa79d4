package io.authstream.gateway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * What fuzzing found in PutEventsRequest, pinned until it is fixed there (PutEventsRequest is
 * not this test's author's to change). Each test fails today; enable it with the fix, and drop
 * the matching exemption in {@link PutEventsRequestFuzzTest}.
 */
class PutEventsRequestFindingsTest {

    private static final Instant RECEIVED_AT = Instant.parse("2025-08-01T09:30:00Z");

    @Disabled("Finding of PutEventsRequestFuzzTest, reported for issue 16 item 11: a Time beyond a double (1e999, which "
            + "Jackson reads as Infinity) makes BigDecimal throw NumberFormatException out of PutEventsRequest.parse, "
            + "so the gateway answers 500 internal_error (logged with a stack) and the AWS SDK retries it; the fix is in "
            + "PutEventsRequest.time, which only the gateway's owner edits")
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
}
