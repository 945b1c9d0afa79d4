package io.authstream.streams.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayAnswersTest {

    private static final String EXPOSITION = """
            # HELP authstream_gateway_requests_total HTTP requests by route and answer status
            # TYPE authstream_gateway_requests_total counter
            authstream_gateway_requests_total{route="/auth0/log-stream",status="200"} 12.0
            authstream_gateway_requests_total{route="/auth0/log-stream",status="401"} 2.0
            authstream_gateway_requests_total{route="/auth0/event-stream",status="200"} 3.0
            authstream_gateway_requests_total{route="other",status="404"} 1.0
            authstream_gateway_rejects_total{route="/auth0/log-stream",reason="unauthorized"} 2.0
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.2E7
            """;

    @Test
    void sumsTheRequestCountersByStatusAndByRoute() {
        GatewayAnswers.Answers answers = GatewayAnswers.parse("http://gw/metrics", EXPOSITION);
        assertThat(answers.reachable()).isTrue();
        assertThat(answers.total()).isEqualTo(18);
        assertThat(answers.byStatus()).isEqualTo(Map.of("200", 15L, "401", 2L, "404", 1L));
        assertThat(answers.byRoute().get("/auth0/log-stream")).isEqualTo(Map.of("200", 12L, "401", 2L));
    }

    @Test
    void noUrlMeansNoAnswersAndAnUnreachableGatewaySaysSoWithoutItsBody() {
        assertThat(new GatewayAnswers(Optional.empty()).read()).isEmpty();
        // A port nothing listens on (the discard port, closed on any test machine's loopback).
        GatewayAnswers.Answers answers = new GatewayAnswers(Optional.of(URI.create("http://127.0.0.1:9/metrics")))
                .read()
                .orElseThrow();
        assertThat(answers.reachable()).isFalse();
        assertThat(answers.problem()).startsWith("not reachable: ");
        assertThat(answers.byStatus()).isEmpty();
    }
}
