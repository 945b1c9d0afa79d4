package io.authstream.streams.http.dashboard;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * What the dashboard ({@code /dashboard/}) needs beyond the Streams app's own settings.
 *
 * @param alertsKept how many of the latest security alerts {@code /alerts} keeps (and the page shows)
 * @param gatewayMetricsUrl the gateway's Prometheus endpoint, for its answers by status; none: not shown
 */
public record DashboardSettings(int alertsKept, Optional<URI> gatewayMetricsUrl) {

    public static final Setting<Integer> ALERTS_KEPT = Setting.integer(
                    "DASHBOARD_ALERTS_KEPT",
                    1,
                    10_000,
                    "How many of the latest auth.security.alerts the dashboard's /alerts keeps in memory (read at "
                            + "start from the end of the topic, then live).")
            .defaultValue(50);

    public static final Setting<String> GATEWAY_METRICS_URL = Setting.text(
                    "DASHBOARD_GATEWAY_METRICS_URL",
                    "The gateway's Prometheus metrics URL (e.g. http://127.0.0.1:8080/metrics), read by /pipeline for "
                            + "the gateway's answers by status; unset: /pipeline leaves them out.")
            .check(url -> url.startsWith("http://") || url.startsWith("https://"), "an http:// or https:// URL");

    public static List<Setting<?>> settings() {
        return List.of(ALERTS_KEPT, GATEWAY_METRICS_URL);
    }

    public static DashboardSettings from(Settings env) {
        return new DashboardSettings(
                env.get(ALERTS_KEPT), env.optional(GATEWAY_METRICS_URL).map(URI::create));
    }
}
