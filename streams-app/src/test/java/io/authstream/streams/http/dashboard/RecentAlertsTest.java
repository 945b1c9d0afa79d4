package io.authstream.streams.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class RecentAlertsTest {

    static AlertView alert(String id, String detectedAt) {
        return new AlertView(
                id,
                "brute-force",
                "HIGH",
                "auth0|u",
                "203.0.113.9",
                detectedAt,
                detectedAt,
                detectedAt,
                "12 failed logins",
                12,
                Map.of("count", "12"),
                0,
                0);
    }

    @Test
    void keepsTheNewestFirstUpToItsLimit() {
        RecentAlerts alerts = new RecentAlerts(2);
        alerts.add(alert("a", "2026-02-10T08:00:00Z"));
        alerts.add(alert("b", "2026-02-10T08:01:00Z"));
        alerts.add(alert("c", "2026-02-10T08:02:00Z"));
        assertThat(alerts.latest()).extracting(AlertView::alertId).containsExactly("c", "b");
    }

    @Test
    void aBackloggedTopicIsSortedByDetectionBeforeTheNewestAreKept() {
        RecentAlerts alerts = new RecentAlerts(3);
        // as read: partition 0's alerts, then partition 1's
        alerts.preload(List.of(
                alert("p0-old", "2026-02-10T08:00:00Z"),
                alert("p0-new", "2026-02-10T09:00:00Z"),
                alert("p1-mid", "2026-02-10T08:30:00Z"),
                alert("p1-newest", "2026-02-10T09:30:00Z")));
        assertThat(alerts.latest()).extracting(AlertView::alertId).containsExactly("p1-newest", "p0-new", "p1-mid");
    }

    @Test
    void listenersHearOfAddedAlertsOnlyUntilTheyLeave() {
        RecentAlerts alerts = new RecentAlerts(5);
        List<String> heard = new ArrayList<>();
        Consumer<AlertView> listener = a -> heard.add(a.alertId());
        alerts.preload(List.of(alert("old", "2026-02-10T08:00:00Z")));
        alerts.subscribe(listener);
        alerts.add(alert("new", "2026-02-10T08:01:00Z"));
        alerts.unsubscribe(listener);
        alerts.add(alert("later", "2026-02-10T08:02:00Z"));
        assertThat(heard).containsExactly("new");
        assertThat(alerts.listeners()).isZero();
    }

    @Test
    void aListenerThatFailsIsDroppedAndTheOthersStillHear() {
        RecentAlerts alerts = new RecentAlerts(5);
        List<String> heard = new ArrayList<>();
        alerts.subscribe(alert -> {
            throw new IllegalStateException("the browser went away mid-write");
        });
        alerts.subscribe(alert -> heard.add(alert.alertId()));
        alerts.add(alert("a", "2026-02-10T08:00:00Z"));
        alerts.add(alert("b", "2026-02-10T08:01:00Z"));
        assertThat(heard).containsExactly("a", "b");
        assertThat(alerts.listeners()).isEqualTo(1);
        assertThat(alerts.latest()).extracting(AlertView::alertId).containsExactly("b", "a");
    }

    @Test
    void keepsAtLeastOne() {
        assertThatThrownBy(() -> new RecentAlerts(0)).hasMessage("kept must be at least 1, got 0");
    }
}
