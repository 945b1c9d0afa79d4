package io.authstream.connect.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProvisioningMetricsTest {

    @Test
    void countersAndTheHistogramAreWrittenInTheTextFormat() {
        ProvisioningMetrics metrics = new ProvisioningMetrics();
        metrics.creation("CREATED", Duration.ofMillis(80));
        metrics.creation("CREATED", Duration.ofMillis(700));
        metrics.creation("FAILED", Duration.ofSeconds(3));
        metrics.emailUpdate("EMAIL_UPDATED");
        metrics.apiError(429);
        metrics.apiError(429);
        metrics.apiError(0);
        metrics.tokenRefresh();
        metrics.tokenRefreshFailure();

        String text = metrics.scrape();

        assertThat(text)
                .contains("# TYPE auth0_user_creation_total counter\n")
                .contains("auth0_user_creation_total{outcome=\"CREATED\"} 2\n")
                .contains("auth0_user_creation_total{outcome=\"FAILED\"} 1\n")
                .contains("# TYPE auth0_user_creation_duration_seconds histogram\n")
                .contains("auth0_user_creation_duration_seconds_bucket{le=\"0.05\"} 0\n")
                .contains("auth0_user_creation_duration_seconds_bucket{le=\"0.1\"} 1\n")
                .contains("auth0_user_creation_duration_seconds_bucket{le=\"1.0\"} 2\n")
                .contains("auth0_user_creation_duration_seconds_bucket{le=\"5.0\"} 3\n")
                .contains("auth0_user_creation_duration_seconds_bucket{le=\"+Inf\"} 3\n")
                .contains("auth0_user_creation_duration_seconds_count 3\n")
                .contains("auth0_user_creation_duration_seconds_sum 3.78")
                .contains("auth0_email_update_total{outcome=\"EMAIL_UPDATED\"} 1\n")
                .contains("auth0_token_refresh_total 1\n")
                .contains("# TYPE auth0_token_refresh_failures_total counter\n")
                .contains("auth0_token_refresh_failures_total 1\n")
                .contains("auth0_api_errors_total{code=\"429\"} 2\n")
                .contains("auth0_api_errors_total{code=\"none\"} 1\n")
                .endsWith("\n");
    }

    @Test
    void theSeriesTheAlertsReadArePresentAtZeroFromTheStart() {
        assertThat(new ProvisioningMetrics().scrape())
                .contains("auth0_user_creation_total{outcome=\"ALREADY_EXISTS\"} 0\n")
                .contains("auth0_user_creation_total{outcome=\"CREATED\"} 0\n")
                .contains("auth0_user_creation_total{outcome=\"FAILED\"} 0\n")
                .contains("auth0_user_creation_total{outcome=\"INVALID\"} 0\n")
                .contains("auth0_email_update_total{outcome=\"EMAIL_UPDATED\"} 0\n")
                .contains("auth0_email_update_total{outcome=\"FAILED\"} 0\n")
                .contains("auth0_email_update_total{outcome=\"INVALID\"} 0\n")
                .contains("auth0_api_errors_total{code=\"429\"} 0\n")
                .contains("auth0_token_refresh_total 0\n")
                .contains("auth0_token_refresh_failures_total 0\n");
    }
}
