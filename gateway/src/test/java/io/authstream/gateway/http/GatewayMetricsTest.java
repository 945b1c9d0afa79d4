package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.gateway.publish.DeadLetter;
import io.authstream.gateway.publish.EncodedEvent;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.deadletter.DeadLetterReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    static {
        GeneratedClasses.trust();
    }

    private static EncodedEvent event(String type) {
        return new EncodedEvent("user", new byte[0], type);
    }

    private static DeadLetter deadLetter(DeadLetterReason reason) {
        return new DeadLetter("auth0.log-stream", new byte[0], reason, "detail");
    }

    @Test
    void eventsAreCountedPerSourceAndTypeWithDeadLettersApartByReason() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.published(
                List.of(event("user.signed_in"), event("user.sign_in_failed"), event("user.signed_in")),
                "auth0.log-stream");
        metrics.published(List.of(event("user.signed_in")), "auth0.log-stream");
        metrics.deadLettered(
                List.of(
                        deadLetter(DeadLetterReason.EVENT_TIME_OUT_OF_RANGE),
                        deadLetter(DeadLetterReason.MALFORMED_JSON),
                        deadLetter(DeadLetterReason.EVENT_TIME_OUT_OF_RANGE)),
                "auth0.log-stream");

        assertThat(metrics.scrape())
                .contains("authstream_gateway_events_total{source=\"auth0.log-stream\",type=\"user.signed_in\"} 3.0")
                .contains(
                        "authstream_gateway_events_total{source=\"auth0.log-stream\",type=\"user.sign_in_failed\"} 1.0")
                .contains(
                        "authstream_gateway_dead_letters_total{reason=\"event_time_out_of_range\",source=\"auth0.log-stream\"} 2.0")
                .contains(
                        "authstream_gateway_dead_letters_total{reason=\"malformed_json\",source=\"auth0.log-stream\"} 1.0");
    }

    @Test
    void typesSendersChooseShareOneLabelSoNoSenderCanGrowTheSeries() {
        GatewayMetrics metrics = new GatewayMetrics();
        List<EncodedEvent> chosen = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            chosen.add(event("app.custom-" + i));
        }
        chosen.add(event("auth0.zz_unmapped"));
        metrics.published(chosen, "eventbridge.put-events");
        metrics.published(
                List.of(event("user.deleted"), event("auth0.action"), event("mfa.push_sent")), "eventbridge.relay");

        String scrape = metrics.scrape();
        assertThat(scrape)
                .contains("authstream_gateway_events_total{source=\"eventbridge.put-events\",type=\"other\"} 501.0")
                .contains("type=\"user.deleted\"")
                .contains("type=\"auth0.action\"")
                .contains("type=\"mfa.push_sent\"");
        assertThat(scrape.lines().filter(l -> l.startsWith("authstream_gateway_events_total")))
                .hasSize(4);
    }

    @Test
    void eachOpenSourceReportsItsLastPublishedEventAndTheStartUntilTheFirst() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_700_000_000_000L);
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return java.time.Instant.ofEpochMilli(now.get());
            }
        };
        GatewayMetrics metrics = new GatewayMetrics(clock);
        metrics.sources(List.of("auth0.log-stream", "auth0.event-stream"));
        now.addAndGet(90_500);
        metrics.published(List.of(event("user.signed_in")), "auth0.log-stream");
        now.addAndGet(60_000);
        // Only dead letters: nothing was published, so the source stays as silent as it was.
        metrics.published(List.of(), "auth0.log-stream");
        metrics.deadLettered(List.of(deadLetter(DeadLetterReason.MALFORMED_JSON)), "auth0.log-stream");

        assertThat(metrics.scrape())
                .contains("# TYPE authstream_gateway_last_event_timestamp_seconds gauge")
                .contains("authstream_gateway_last_event_timestamp_seconds{source=\"auth0.log-stream\"} 1.7000000905E9")
                .contains("authstream_gateway_last_event_timestamp_seconds{source=\"auth0.event-stream\"} 1.7E9")
                .doesNotContain("source=\"eventbridge.relay\"");
    }

    @Test
    void theUnavailableAnswersOfTheOpenRoutesArePresentFromTheStart() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.answers(List.of("/webhooks/auth0/log-stream", "/"), 503);
        metrics.request("/webhooks/auth0/log-stream", 503);

        assertThat(metrics.scrape())
                .contains("authstream_gateway_requests_total{route=\"/\",status=\"503\"} 0.0")
                .contains("authstream_gateway_requests_total{route=\"/webhooks/auth0/log-stream\",status=\"503\"} 1.0")
                .doesNotContain("status=\"200\"");
    }

    @Test
    void connectionsAreReportedAsTheyAreNowAndHeaderTimeoutsCounted() {
        GatewayMetrics metrics = new GatewayMetrics();
        java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger(3);
        metrics.openConnections(open::get);
        metrics.headerTimeout();
        metrics.headerTimeout();
        open.set(7);
        // A collection in between must not lose the gauge's supplier, which only the gauge holds.
        System.gc();

        assertThat(metrics.scrape())
                .contains("authstream_gateway_connections 7.0")
                .contains("authstream_gateway_header_timeouts_total 2.0")
                .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} ")
                .contains("process_files_open_files ");
    }
}
