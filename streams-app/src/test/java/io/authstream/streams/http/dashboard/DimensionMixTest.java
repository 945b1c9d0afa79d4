package io.authstream.streams.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.streams.analytics.Granularity;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DimensionMixTest {

    private static final Instant NOW = Instant.parse("2026-02-10T12:00:00Z");

    @Test
    void queriesAreParsedWithTheirDefaults() {
        DimensionMix.Query query = DimensionMix.parse("sign_ins", "provider", null, null, null, NOW);
        assertThat(query.granularity()).isEqualTo(Granularity.DAY);
        assertThat(query.to()).isEqualTo(NOW);
        assertThat(query.from()).isEqualTo(NOW.minusSeconds(7 * 86_400));
        // every key of the dimension sorts between these two, and no other key does
        assertThat(query.firstKey()).isEqualTo("sign_ins|provider=");
        assertThat(query.lastKey()).isEqualTo("sign_ins|provider>");
        assertThat("sign_ins|provider=zzz\uffff").isBetween(query.firstKey(), query.lastKey());
        assertThat("sign_ins|provider").isLessThan(query.firstKey());
        assertThat("sign_ins|providers=x").isGreaterThan(query.lastKey());
    }

    @Test
    void badQueriesNameTheProblem() {
        assertThatThrownBy(() -> DimensionMix.parse("sign_ups", "provider", null, null, null, NOW))
                .hasMessage("only sign_ins has dimensions, got 'sign_ups'");
        assertThatThrownBy(() -> DimensionMix.parse("sign_ins", "country", null, null, null, NOW))
                .hasMessage("by must be one of [client, connection, provider], got 'country'");
        assertThatThrownBy(() -> DimensionMix.parse("sign_ins", null, null, null, null, NOW))
                .hasMessage("by must be one of [client, connection, provider], got 'null'");
        assertThatThrownBy(() -> DimensionMix.parse("sign_ins", "client", "week", null, null, NOW))
                .hasMessage("granularity must be one of [hour, day], got 'week'");
        assertThatThrownBy(() -> DimensionMix.parse("sign_ins", "client", "hour", "yesterday", null, NOW))
                .hasMessage("from must be an ISO-8601 instant like 2025-03-02T00:00:00Z, got 'yesterday'");
        assertThatThrownBy(() -> DimensionMix.parse(
                        "sign_ins", "client", "hour", "2026-02-11T00:00:00Z", "2026-02-10T00:00:00Z", NOW))
                .hasMessage("from (2026-02-11T00:00:00Z) is after to (2026-02-10T00:00:00Z)");
    }
}
