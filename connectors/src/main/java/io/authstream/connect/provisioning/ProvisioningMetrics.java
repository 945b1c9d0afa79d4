package io.authstream.connect.provisioning;

import io.authstream.schemas.avro.ProvisioningStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * The provisioning sink's counters, written in the Prometheus text exposition format (0.0.4).
 * Written here rather than with a metrics library: six series do not warrant one more plugin
 * dependency in every Connect worker. Label values are bounded (outcomes are the ProvisioningStatus
 * symbols, codes HTTP statuses), so the series set stays small. The series the alert rules read
 * (deploy/prometheus/alerts.yml: every outcome, code 429, the token refresh failures) are written
 * from the start, at 0, so that Prometheus sees their first increase.
 */
final class ProvisioningMetrics {

    /** Seconds; Auth0 answers a create in tens of milliseconds, retries and rate-limit waits take seconds. */
    static final double[] DURATION_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final Map<String, LongAdder> creations = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> emailUpdates = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> apiErrors = new ConcurrentSkipListMap<>();
    private final LongAdder tokenRefreshes = new LongAdder();
    private final LongAdder tokenRefreshFailures = new LongAdder();
    private final AtomicLong[] durationBuckets = new AtomicLong[DURATION_BUCKETS.length];
    private final LongAdder durationCount = new LongAdder();
    private final DoubleAdder durationSum = new DoubleAdder();

    ProvisioningMetrics() {
        for (int i = 0; i < durationBuckets.length; i++) {
            durationBuckets[i] = new AtomicLong();
        }
        for (ProvisioningStatus status : List.of(
                ProvisioningStatus.CREATED,
                ProvisioningStatus.ALREADY_EXISTS,
                ProvisioningStatus.INVALID,
                ProvisioningStatus.FAILED)) {
            creations.put(status.name(), new LongAdder());
        }
        for (ProvisioningStatus status :
                List.of(ProvisioningStatus.EMAIL_UPDATED, ProvisioningStatus.INVALID, ProvisioningStatus.FAILED)) {
            emailUpdates.put(status.name(), new LongAdder());
        }
        apiErrors.put("429", new LongAdder());
    }

    void creation(String outcome, Duration took) {
        count(creations, outcome);
        double seconds = took.toNanos() / 1e9;
        for (int i = 0; i < DURATION_BUCKETS.length; i++) {
            if (seconds <= DURATION_BUCKETS[i]) {
                durationBuckets[i].incrementAndGet();
            }
        }
        durationCount.increment();
        durationSum.add(seconds);
    }

    void emailUpdate(String outcome) {
        count(emailUpdates, outcome);
    }

    void apiError(int status) {
        count(apiErrors, status == 0 ? "none" : Integer.toString(status));
    }

    void tokenRefresh() {
        tokenRefreshes.increment();
    }

    /** A token request that ended without a token: refused, or failed on every attempt. */
    void tokenRefreshFailure() {
        tokenRefreshFailures.increment();
    }

    private static void count(Map<String, LongAdder> counters, String label) {
        counters.computeIfAbsent(label, l -> new LongAdder()).increment();
    }

    String scrape() {
        StringBuilder out = new StringBuilder();
        labelled(
                out,
                "auth0_user_creation_total",
                "Provisioning requests that asked for a new Auth0 user, by outcome.",
                "outcome",
                creations);
        out.append(
                        "# HELP auth0_user_creation_duration_seconds Time from a creation request's validation to its outcome.\n")
                .append("# TYPE auth0_user_creation_duration_seconds histogram\n");
        for (int i = 0; i < DURATION_BUCKETS.length; i++) {
            out.append("auth0_user_creation_duration_seconds_bucket{le=\"")
                    .append(DURATION_BUCKETS[i])
                    .append("\"} ")
                    .append(durationBuckets[i].get())
                    .append('\n');
        }
        out.append("auth0_user_creation_duration_seconds_bucket{le=\"+Inf\"} ")
                .append(durationCount.sum())
                .append('\n')
                .append("auth0_user_creation_duration_seconds_sum ")
                .append(durationSum.sum())
                .append('\n')
                .append("auth0_user_creation_duration_seconds_count ")
                .append(durationCount.sum())
                .append('\n');
        labelled(
                out,
                "auth0_email_update_total",
                "Provisioning requests that changed an Auth0 user's e-mail, by outcome.",
                "outcome",
                emailUpdates);
        out.append("# HELP auth0_token_refresh_total Management API tokens obtained (client-credentials grant).\n")
                .append("# TYPE auth0_token_refresh_total counter\n")
                .append("auth0_token_refresh_total ")
                .append(tokenRefreshes.sum())
                .append('\n')
                .append("# HELP auth0_token_refresh_failures_total Management API token requests that ended without a "
                        + "token (refused, or failed on every attempt).\n")
                .append("# TYPE auth0_token_refresh_failures_total counter\n")
                .append("auth0_token_refresh_failures_total ")
                .append(tokenRefreshFailures.sum())
                .append('\n');
        labelled(
                out,
                "auth0_api_errors_total",
                "Management API answers that were not 2xx, retried ones included, by HTTP status (none: no answer).",
                "code",
                apiErrors);
        return out.toString();
    }

    private static void labelled(
            StringBuilder out, String name, String help, String label, Map<String, LongAdder> counters) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        new TreeMap<>(counters)
                .forEach((value, count) -> out.append(name)
                        .append('{')
                        .append(label)
                        .append("=\"")
                        .append(value)
                        .append("\"} ")
                        .append(count.sum())
                        .append('\n'));
    }
}
