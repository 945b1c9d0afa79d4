package io.authstream.connect.logs;

import io.authstream.connect.auth0.Auth0ManagementClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.metrics.Measurable;
import org.apache.kafka.common.metrics.PluginMetrics;

/**
 * What the logs source met at the Management API, as the task's plugin metrics (KIP-877; with
 * the connect-metrics reporter {@code kafka_connect_plugins_<name>{connector, task}}):
 * {@value #API_ERRORS} by HTTP status ({@code code}, {@code none} without an answer; {@code 429}
 * from the start), {@value #TOKEN_REFRESHES} and {@value #TOKEN_REFRESH_FAILURES}, named as the
 * provisioning sink names its own.
 */
final class ManagementApiCounts implements Auth0ManagementClient.Observer {

    static final String API_ERRORS = "auth0-api-errors-total";
    static final String TOKEN_REFRESHES = "auth0-token-refresh-total";
    static final String TOKEN_REFRESH_FAILURES = "auth0-token-refresh-failures-total";

    private final PluginMetrics metrics;
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final LongAdder refreshes = new LongAdder();
    private final LongAdder refreshFailures = new LongAdder();

    /** @param metrics the task's plugin metrics; null when the worker offers none (counted, not reported) */
    ManagementApiCounts(PluginMetrics metrics) {
        this.metrics = metrics;
        if (metrics != null) {
            metrics.addMetric(
                    metrics.metricName(
                            TOKEN_REFRESHES,
                            "Management API tokens obtained (client-credentials grant)",
                            new LinkedHashMap<>()),
                    (Measurable) (config, now) -> refreshes.sum());
            metrics.addMetric(
                    metrics.metricName(
                            TOKEN_REFRESH_FAILURES,
                            "Management API token requests that ended without a token (refused, or failed on every attempt)",
                            new LinkedHashMap<>()),
                    (Measurable) (config, now) -> refreshFailures.sum());
        }
        error("429");
    }

    private LongAdder error(String code) {
        return errors.computeIfAbsent(code, c -> {
            LongAdder count = new LongAdder();
            if (metrics != null) {
                LinkedHashMap<String, String> tags = new LinkedHashMap<>();
                tags.put("code", c);
                metrics.addMetric(
                        metrics.metricName(
                                API_ERRORS,
                                "Management API answers that were not 2xx, retried ones included, by HTTP status "
                                        + "(none: no answer)",
                                tags),
                        (Measurable) (config, now) -> count.sum());
            }
            return count;
        });
    }

    @Override
    public void failed(int status) {
        error(status == 0 ? "none" : Integer.toString(status)).increment();
    }

    @Override
    public void tokenObtained() {
        refreshes.increment();
    }

    @Override
    public void tokenFailed(int status) {
        refreshFailures.increment();
    }

    long errors(String code) {
        LongAdder count = errors.get(code);
        return count == null ? 0 : count.sum();
    }

    long refreshFailures() {
        return refreshFailures.sum();
    }
}
