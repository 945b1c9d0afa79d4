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
}
