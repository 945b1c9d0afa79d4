package io.authstream.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.fixtures.Samples;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a redrive makes of each source's dead letters, through the real normalisers and the Avro
 * serializer on the test stack's registry (nothing is written to a topic here).
 */
@ExtendWith(StackExtension.class)
class RedriverIT {

    private static final Instant RECEIVED = Instant.parse("2026-12-02T12:00:00Z");

    private final TestStack stack;
    private AvroSerializer<AuthEvent> serializer;

    RedriverIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void serializer() {
        serializer = new AvroSerializer<>(stack.serdeConfig(), false);
    }

    @AfterEach
    void close() {
        serializer.close();
    }

    private Redriver redriver(EventTimeBounds bounds) {
        return new Redriver(bounds, EventLimits.defaults(), serializer);
    }

    private static DeadLetterRecord deadLetter(String source, byte[] body) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.CODE, "invalid_event".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.REASON, "invalid_event: then".getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.SOURCE, source.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetterHeaders.RECEIVED_AT, RECEIVED.toString().getBytes(StandardCharsets.UTF_8));
        return DeadLetterRecord.of(new ConsumerRecord<>(
                "auth.events.deadletter",
                0,
                5,
                RECEIVED.plusSeconds(1).toEpochMilli(),
                TimestampType.LOG_APPEND_TIME,
                0,
                body.length,
                source.getBytes(StandardCharsets.UTF_8),
                body,
                headers,
                Optional.empty()));
    }

    private AuthEvent decoded(Redriver.Event event) {
        return new AvroDeserializer<>(AuthEvent.class, stack.serdeConfig())
                .deserialize("auth.events.raw", event.value());
    }

    @Test
    void anEventBridgeRelayBodyBecomesTheEventTheRouteMakes() {
        Redriver.Outcome outcome = redriver(EventTimeBounds.defaults())
                .redrive(deadLetter("eventbridge.relay", Samples.bytes("eventbridge/201_eb_s_thiscovery.json")));
        assertThat(outcome).isInstanceOf(Redriver.Event.class);
        Redriver.Event event = (Redriver.Event) outcome;
        AuthEvent decoded = decoded(event);
        assertThat(decoded.getSource()).isEqualTo("eventbridge.relay");
        assertThat(decoded.getOriginalType()).isEqualTo("s");
        assertThat(decoded.getUserId()).isEqualTo("auth0|6012d7eccvf1c41076d8ed3d");
        assertThat(event.key()).isEqualTo(decoded.getUserId());
        // The receive time is the dead letter's, not the redrive's.
        assertThat(decoded.getReceivedAt()).isEqualTo(RECEIVED);
    }

    @Test
    void anActionsQueryStringIsDecodedAsTheRouteDecodesIt() {
        String message = "{\"username\":\"ann\",\"email\":\"ann@example.com\",\"user_id\":\"auth0|ann\"}";
        String query =
                "topic=login&subject=user.signed_in&message=" + URLEncoder.encode(message, StandardCharsets.UTF_8);
        Redriver.Outcome outcome = redriver(EventTimeBounds.defaults())
                .redrive(deadLetter("auth0.actions", query.getBytes(StandardCharsets.UTF_8)));
        assertThat(outcome).isInstanceOf(Redriver.Event.class);
        AuthEvent decoded = decoded((Redriver.Event) outcome);
        assertThat(decoded.getSource()).isEqualTo("auth0.actions");
        assertThat(decoded.getType()).isEqualTo("user.signed_in");
        assertThat(decoded.getUserId()).isEqualTo("auth0|ann");

        Redriver.Outcome badEscape = redriver(EventTimeBounds.defaults())
                .redrive(deadLetter("auth0.actions", "topic=login&message=%zz".getBytes(StandardCharsets.UTF_8)));
        assertThat(badEscape).isInstanceOf(Redriver.Refused.class);
        assertThat(((Redriver.Refused) badEscape).code()).isEqualTo("invalid_event");
        assertThat(((Redriver.Refused) badEscape).detail()).startsWith("query string: ");
        assertThat(redriver(EventTimeBounds.defaults())
                        .redrive(deadLetter("auth0.actions", "topic=login".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(Redriver.Refused.class);
    }

    @Test
    void theEventTimeBoundsJudgeItAgainstWhenItArrived() {
        byte[] log = Samples.bytes("log-stream/007_fp_wrong-password.json"); // dated 2021-11-03
        Redriver strict = redriver(new EventTimeBounds(Duration.ofMinutes(5), Duration.ofDays(365)));
        Redriver.Outcome refused = strict.redrive(deadLetter("auth0.log-stream", log));
        assertThat(refused).isInstanceOf(Redriver.Refused.class);
        assertThat(((Redriver.Refused) refused).code()).isEqualTo("event_time_out_of_range");
        Redriver lenient = redriver(new EventTimeBounds(Duration.ofMinutes(5), Duration.ofDays(3650)));
        assertThat(lenient.redrive(deadLetter("auth0.logs-api", log))).isInstanceOf(Redriver.Event.class);
    }

    @Test
    void bodiesThatAreNotJsonOrNotUtf8FailAgainAndOtherSourcesAreNotRedrivable() {
        Redriver redriver = redriver(EventTimeBounds.defaults());
        assertThat(redriver.redrive(deadLetter("auth0.event-stream", new byte[] {(byte) 0xff, '{'})))
                .isEqualTo(new Redriver.Refused("malformed_json", "the body is not UTF-8"));
        Redriver.Outcome trailing =
                redriver.redrive(deadLetter("auth0.log-stream", "{\"a\":1} {".getBytes(StandardCharsets.UTF_8)));
        assertThat(((Redriver.Refused) trailing).code()).isEqualTo("malformed_json");
        for (String source : new String[] {"streams-app", "eventbridge.put-events", "unknown"}) {
            assertThat(redriver.redrive(deadLetter(source, "{}".getBytes(StandardCharsets.UTF_8))))
                    .as(source)
                    .isInstanceOf(Redriver.NotRedrivable.class);
        }
    }
}
