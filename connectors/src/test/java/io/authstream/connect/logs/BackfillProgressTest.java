package io.authstream.connect.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The backfill's progress lines: at most one per interval while behind, one on catching up, none when live. */
class BackfillProgressTest {

    private static final String TENANT = "https://dev-abc.eu.auth0.com";
    private final Instant start = Instant.parse("2026-12-03T12:00:00Z");
    private final BackfillProgress progress = new BackfillProgress(TENANT, Duration.ofSeconds(30), null, start);

    @Test
    void fullBatchesLogAtMostOncePerIntervalWithTheDateReachedAndTheRate() {
        Instant day = Instant.parse("2026-11-01T00:00:00Z");
        assertThat(progress.batch(100, Optional.of(day), true, start.plusSeconds(1)))
                .isEmpty();
        assertThat(progress.batch(100, Optional.of(day.plusSeconds(3600)), true, start.plusSeconds(11)))
                .isEmpty();
        Optional<String> line = progress.batch(100, Optional.of(day.plusSeconds(7200)), true, start.plusSeconds(31));
        assertThat(line)
                .contains("backfill of " + TENANT + ": 300 logs read, reached 2026-11-01T02:00:00Z"
                        + " (32d 10h behind now), 10.0 logs/s");
        assertThat(progress.batch(100, Optional.empty(), true, start.plusSeconds(40)))
                .isEmpty();
        assertThat(progress.behind()).isTrue();
        assertThat(progress.logsRead()).isEqualTo(400);
        assertThat(progress.lagSeconds())
                .isEqualTo(Duration.between(day.plusSeconds(7200), start.plusSeconds(40))
                        .toSeconds());
    }

    @Test
    void catchingUpLogsOnceAndALiveTaskLogsNothing() {
        progress.batch(100, Optional.of(start.minusSeconds(600)), true, start.plusSeconds(2));
        Optional<String> caughtUp = progress.batch(20, Optional.of(start.minusSeconds(5)), false, start.plusSeconds(4));
        assertThat(caughtUp)
                .contains("backfill caught up of " + TENANT + ": 120 logs read, reached " + start.minusSeconds(5)
                        + " (9s behind now), 60.0 logs/s");
        assertThat(progress.behind()).isFalse();
        assertThat(progress.batch(3, Optional.of(start.plusSeconds(60)), false, start.plusSeconds(61)))
                .isEmpty();
        assertThat(progress.batch(0, Optional.empty(), false, start.plusSeconds(200)))
                .isEmpty();
        assertThat(progress.logsRead()).isEqualTo(123);
    }

    @Test
    void beforeAnyDatedLogTheLagIsUnknown() {
        assertThat(progress.lagSeconds()).isEqualTo(-1);
        progress.batch(2, Optional.empty(), true, start.plusSeconds(1));
        assertThat(progress.batch(0, Optional.empty(), false, start.plusSeconds(2)))
                .hasValueSatisfying(line -> assertThat(line).contains("2 logs read, no dated log yet"));
    }
}
