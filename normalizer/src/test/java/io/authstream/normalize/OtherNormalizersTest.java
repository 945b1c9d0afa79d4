package io.authstream.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.fixtures.Samples;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OtherNormalizersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-11-23T12:00:00Z");

    private static String sample(String path) {
        return new String(Samples.bytes(path), StandardCharsets.UTF_8);
    }

    @Test
    void cloudEventUserCreated() throws Exception {
        String raw = sample("event-streams/301_user.created_docs-test-webhook.json");
        AuthEvent event = EventStreamNormalizer.normalize(JSON.readTree(raw), raw, "auth0.event-stream", RECEIVED);
        assertThat(event.getEventId()).isEqualTo("evt_6SfwXrtm8nVcjzzNCFFH1L");
        assertThat(event.getType()).isEqualTo("user.created");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-02-02T17:56:01.573Z"));
        assertThat(event.getUserId()).isEqualTo("auth0|679fb1b1e809445f129bc18d");
        assertThat(event.getEmail()).isEqualTo("nick-testing-21@example.com");
        assertThat(event.getPhotoUrl()).isEqualTo("test.png");
        assertThat(event.getProvider()).isEqualTo("auth0");
        assertThat(event.getConnection()).isEqualTo("Username-Password-Authentication");
        assertThat(event.getTenant()).isEqualTo("acme");
        assertThat(event.getOutcome()).isEqualTo(Outcome.NONE);
    }

    @Test
    void cloudEventVariantWithSpecVersionUnderscoreAndPrefixedType() throws Exception {
        String raw =
                "{\"spec_version\":\"1.0\",\"type\":\"com.auth0.user.deleted\",\"id\":\"e1\",\"time\":\"2025-01-01T00:00:00Z\","
                        + "\"data\":{\"object\":{\"user_id\":\"auth0|d\"}}}";
        AuthEvent event = EventStreamNormalizer.normalize(JSON.readTree(raw), raw, "auth0.event-stream", RECEIVED);
        assertThat(event.getType()).isEqualTo("user.deleted");
        assertThat(event.getOriginalType()).isEqualTo("com.auth0.user.deleted");
        assertThat(EventKeys.of(event)).isEqualTo("auth0|d");
    }

    @Test
    void cloudEventWithoutTypeOrWithWrongVersionIsRefused() throws Exception {
        assertThatThrownBy(() -> EventStreamNormalizer.normalize(JSON.readTree("{\"id\":\"x\"}"), "{}", "s", RECEIVED))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("no \"type\"");
        assertThatThrownBy(() -> EventStreamNormalizer.normalize(
                        JSON.readTree("{\"specversion\":\"0.3\",\"type\":\"user.created\"}"), "{}", "s", RECEIVED))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("specversion 0.3");
    }

    @Test
    void eventBridgeAuth0LogUsesTheLogIdNotTheEnvelopeId() throws Exception {
        String raw = sample("eventbridge/203_eb_fs_user-already-exists.json");
        AuthEvent event = EventBridgeNormalizer.normalize(JSON.readTree(raw), raw, "eventbridge.relay", RECEIVED);
        assertThat(event.getEventId()).isEqualTo("90020221111064627068205877781201590913260820163280765026");
        assertThat(event.getType()).isEqualTo("user.sign_up_failed");
        assertThat(event.getOutcome()).isEqualTo(Outcome.FAILURE);
        assertThat(event.getFailureReason()).isEqualTo("The user already exists.");
        assertThat(event.getAttributes()).containsEntry("eventbridge.id", "107cfa03-19d7-1e96-b6e3-efc24a7b158e");
        assertThat(event.getRaw()).isEqualTo(raw);
        assertThat(EventKeys.of(event)).isEqualTo("ip:123.123.123.123");
    }

    @Test
    void eventBridgeAppEventFallsBackToTheEnvelopeIdAndTime() throws Exception {
        String raw = "{\"id\":\"env-1\",\"detail-type\":\"user.sign_in_failed\",\"time\":\"2025-01-02T03:04:05Z\","
                + "\"detail\":{\"userId\":\"u1\",\"reason\":\"bad token\"}}";
        AuthEvent event = EventBridgeNormalizer.normalize(JSON.readTree(raw), raw, "eventbridge.relay", RECEIVED);
        // In the app namespace: an app's id can never be an Auth0 log_id that dedup would drop.
        assertThat(event.getEventId()).isEqualTo("app:env-1");
        assertThat(event.getOccurredAt()).isEqualTo(Instant.parse("2025-01-02T03:04:05Z"));
        assertThat(event.getOutcome()).isEqualTo(Outcome.FAILURE);
        assertThat(event.getFailureReason()).isEqualTo("bad token");
    }

    @Test
    void anAppCannotSpeakForAuth0OnPutEvents() throws Exception {
        String auth0Log = sample("eventbridge/203_eb_fs_user-already-exists.json");
        assertRefusedOnTheRoute(
                () -> EventBridgeNormalizer.normalizeApplication(
                        JSON.readTree(auth0Log), auth0Log, "eventbridge.put-events", RECEIVED),
                "PutEvents takes an application's own events");
        String awsSource =
                "{\"source\":\"aws.signin\",\"detail-type\":\"user.signed_in\",\"detail\":{\"userId\":\"u1\"}}";
        assertRefusedOnTheRoute(
                () -> EventBridgeNormalizer.normalizeApplication(
                        JSON.readTree(awsSource), awsSource, "eventbridge.put-events", RECEIVED),
                "reserved for AWS");
        for (String auth0Only : List.of(
                "user.deleted",
                "user.blocked",
                "ip.blocked",
                "user.breached_password",
                "credentials.refresh_token_reused",
                "mfa.push_sent",
                "api.operation",
                "auth0.limit_mu")) {
            String raw = "{\"source\":\"my.app\",\"detail-type\":\"" + auth0Only + "\",\"detail\":{\"userId\":\"u1\"}}";
            assertRefusedOnTheRoute(
                    () -> EventBridgeNormalizer.normalizeApplication(
                            JSON.readTree(raw), raw, "eventbridge.put-events", RECEIVED),
                    "reported only by Auth0");
            assertRefusedOnTheRoute(
                    () -> EventBridgeNormalizer.normalize(JSON.readTree(raw), raw, "eventbridge.relay", RECEIVED),
                    "reported only by Auth0");
        }
        String signIn = "{\"source\":\"my.app\",\"detail-type\":\"user.signed_in\",\"detail\":{\"userId\":\"u1\","
                + "\"eventId\":\"90020221111064627068205877781201590913260820163280765026\"}}";
        AuthEvent event = EventBridgeNormalizer.normalizeApplication(
                JSON.readTree(signIn), signIn, "eventbridge.put-events", RECEIVED);
        assertThat(event.getType()).isEqualTo("user.signed_in");
        assertThat(event.getEventId()).isEqualTo("app:90020221111064627068205877781201590913260820163280765026");
    }

    @Test
    void theRelayTakesAuth0LogRecordsOnlyFromAuth0sPartnerEventSource() throws Exception {
        String auth0Log = sample("eventbridge/203_eb_fs_user-already-exists.json");
        assertThat(EventBridgeNormalizer.normalize(JSON.readTree(auth0Log), auth0Log, "eventbridge.relay", RECEIVED)
                        .getEventId())
                .isEqualTo("90020221111064627068205877781201590913260820163280765026");
        String forged = auth0Log.replace("aws.partner/auth0.com/", "my.app/");
        assertThat(forged).isNotEqualTo(auth0Log);
        assertRefusedOnTheRoute(
                () -> EventBridgeNormalizer.normalize(JSON.readTree(forged), forged, "eventbridge.relay", RECEIVED),
                "only from Auth0's partner event source");
    }

    @Test
    void anActionsCallMakesOnlyTheTypesItsMessageCanMean() {
        String message = "{\"username\":\"bob\",\"email\":\"bob@example.com\",\"user_id\":\"auth0|b\"}";
        for (String subject : List.of("user.signed_in", "user.signed_up", "user.password_changed")) {
            assertThat(ActionsNormalizer.normalize("t", subject, message, "auth0.actions", RECEIVED)
                            .getType())
                    .isEqualTo(subject);
        }
        for (String subject : List.of(
                "user.deleted",
                "user.blocked",
                "ip.blocked",
                "user.breached_password",
                "user.updated",
                "auth0.limit_wc")) {
            assertRefusedOnTheRoute(
                    () -> ActionsNormalizer.normalize("t", subject, message, "auth0.actions", RECEIVED), "cannot mean");
        }
        assertThat(ActionsNormalizer.normalize("t", "welcome-mail", message, "auth0.actions", RECEIVED)
                        .getType())
                .isEqualTo("auth0.action");
    }

    private static void assertRefusedOnTheRoute(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String why) {
        assertThatThrownBy(call)
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining(why)
                .extracting(e -> ((NormalizationException) e).reason())
                .isEqualTo(DeadLetterReason.NOT_ALLOWED_ON_ROUTE);
    }

    @Test
    void eventBridgeWithoutDetailIsRefused() throws Exception {
        assertThatThrownBy(() ->
                        EventBridgeNormalizer.normalize(JSON.readTree("{\"detail-type\":\"x\"}"), "{}", "s", RECEIVED))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("no \"detail\" object");
    }

    @Test
    void actionsCallsGetAStableIdAndTheirSubjectAsType() {
        String message = "{\"username\":\"bob\",\"email\":\"bob@example.com\",\"user_id\":\"auth0|b\"}";
        AuthEvent first = ActionsNormalizer.normalize("t", "user.signed_up", message, "auth0.actions", RECEIVED);
        AuthEvent retry =
                ActionsNormalizer.normalize("t", "user.signed_up", message, "auth0.actions", RECEIVED.plusSeconds(9));
        assertThat(first.getEventId()).isEqualTo(retry.getEventId()).startsWith("sha256:");
        assertThat(first.getType()).isEqualTo("user.signed_up");
        assertThat(first.getProvider()).isEqualTo("auth0");
        assertThat(ActionsNormalizer.normalize("t", "New user", message, "a", RECEIVED)
                        .getType())
                .isEqualTo("auth0.action");
        assertThatThrownBy(() -> ActionsNormalizer.normalize("t", "s", "{not json", "a", RECEIVED))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("not JSON");
    }
}
