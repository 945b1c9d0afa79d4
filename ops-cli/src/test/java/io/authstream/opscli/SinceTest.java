package io.authstream.opscli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SinceTest {

    private static final Instant NOW = Instant.parse("2026-12-02T13:40:00Z");

    @Test
    void shortDurationsCountBackFromNow() {
        assertThat(Since.parse("15m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(15)));
        assertThat(Since.parse("90s", NOW)).isEqualTo(NOW.minusSeconds(90));
        assertThat(Since.parse("2h", NOW)).isEqualTo(NOW.minus(Duration.ofHours(2)));
        assertThat(Since.parse("7d", NOW)).isEqualTo(NOW.minus(Duration.ofDays(7)));
        assertThat(Since.parse("1h30m", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(90)));
        assertThat(Since.parse(" 0s ", NOW)).isEqualTo(NOW);
    }

    @Test
    void isoDurationsCountBackFromNow() {
        assertThat(Since.parse("PT15M", NOW)).isEqualTo(NOW.minus(Duration.ofMinutes(15)));
        assertThat(Since.parse("P1DT2H", NOW)).isEqualTo(NOW.minus(Duration.ofHours(26)));
    }

    @Test
    void isoTimesAndDatesAreTakenAsTheyAre() {
        assertThat(Since.parse("2026-12-01T08:00:00Z", NOW)).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(Since.parse("2026-12-01T09:00:00+01:00", NOW)).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
        assertThat(Since.parse("2026-12-01", NOW)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    }

    @Test
    void anythingElseIsRefusedWithTheFormsItTakes() {
        for (String wrong : new String[] {"", "15", "15x", "m", "-15m", "yesterday", "2026-13-01", "PT-5M", "12:00"}) {
            assertThatThrownBy(() -> Since.parse(wrong, NOW)).as(wrong).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Since.parse("99999999999999999d", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> Since.parse("soon", NOW)).hasMessageContaining("15m");
    }

    @Test
    void aBadTimeIsAUsageError() {
        java.io.StringWriter err = new java.io.StringWriter();
        int status = AuthstreamCommand.execute(
                new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err, true),
                "dlq",
                "list",
                "--since",
                "yesterday");
        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("--since").contains("yesterday");
    }
}
