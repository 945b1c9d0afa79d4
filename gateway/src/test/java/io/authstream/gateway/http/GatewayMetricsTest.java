package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayMetricsTest {

    static {
        GeneratedClasses.trust();
    }

    private static AuthEvent event(String id, String type) {
        return AuthEvent.newBuilder().setEventId(id).setSource("auth0.log-stream").setType(type)
                .setOccurredAt(Instant.EPOCH).setReceivedAt(Instant.EPOCH).setRaw("{}").build();
    }

    @Test
    void eventsAreCountedPerSourceAndTypeWithDeadLettersApart() {
        GatewayMetrics metrics = new GatewayMetrics();
        metrics.published(List.of(event("1", "user.signed_in"), event("2", "user.sign_in_failed"), event("3", "user.signed_in")),
                "auth0.log-stream", 2);
        metrics.published(List.of(event("4", "user.signed_in")), "auth0.log-stream", 0);

        assertThat(metrics.scrape())
                .contains("authstream_gateway_events_total{source=\"auth0.log-stream\",type=\"user.signed_in\"} 3.0")
                .contains("authstream_gateway_events_total{source=\"auth0.log-stream\",type=\"user.sign_in_failed\"} 1.0")
                .contains("authstream_gateway_dead_letters_total{source=\"auth0.log-stream\"} 2.0");
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

        assertThat(metrics.scrape()).contains("authstream_gateway_connections 7.0")
                .contains("authstream_gateway_header_timeouts_total 2.0")
                .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} ")
                .contains("process_files_open_files ");
    }
}
