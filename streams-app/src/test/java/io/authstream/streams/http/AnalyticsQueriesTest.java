package io.authstream.streams.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.streams.analytics.ActiveUsers;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnalyticsQueriesTest {

    private static final Instant NOW = Instant.parse("2026-02-10T12:00:00Z");

    @Test
    void queriesAreParsedWithTheirDefaults() {
        AnalyticsQueries.Query query = AnalyticsQueries.parse("sign_ins", null, "provider=auth0", null, null, NOW);
        assertThat(query.granularity()).isEqualTo("day");
        assertThat(query.to()).isEqualTo(NOW);
        assertThat(query.from()).isEqualTo(NOW.minusSeconds(7 * 86_400));
        assertThat(query.key()).isEqualTo("sign_ins|provider=auth0");
        assertThat(query.storeName()).isEqualTo("analytics-counts-day");
        assertThat(AnalyticsQueries.parse("active_users", "30d", null, null, null, NOW)
                        .storeName())
                .isEqualTo(ActiveUsers.STORE);
    }

    @Test
    void activeUserSpansMapToTheirDays() {
        assertThat(ActiveUsers.spanLabels()).containsExactly("day", "7d", "30d");
        assertThat(ActiveUsers.spanLabels()).extracting(ActiveUsers::spanDays).containsExactly(1, 7, 30);
        assertThatThrownBy(() -> ActiveUsers.spanDays("week")).hasMessage("no active-users span 'week'");
    }

    @Test
    void badQueriesNameTheProblem() {
        assertThatThrownBy(() -> AnalyticsQueries.parse("logins", null, null, null, null, NOW))
                .hasMessage(
                        "unknown metric 'logins'; known: active_users, failed_login_rate, new_users, sign_ins, sign_ups");
        assertThatThrownBy(() -> AnalyticsQueries.parse("active_users", "hour", null, null, null, NOW))
                .hasMessage("granularity of active_users must be one of [day, 7d, 30d], got 'hour'");
        assertThatThrownBy(() -> AnalyticsQueries.parse("active_users", "day", "client=Web", null, null, NOW))
                .hasMessage("active_users has no dimensions");
        assertThatThrownBy(() -> AnalyticsQueries.parse(
                        "sign_ins", "day", null, "2026-02-10T00:00:00Z", "2026-02-01T00:00:00Z", NOW))
                .hasMessageStartingWith("from (2026-02-10T00:00:00Z) is after to");
        assertThatThrownBy(() -> AnalyticsQueries.parse("sign_ins", "day", null, "yesterday", null, NOW))
                .hasMessage("from must be an ISO-8601 instant like 2025-03-02T00:00:00Z, got 'yesterday'");
    }
}
