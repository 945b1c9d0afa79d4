package io.authstream.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The header deadline against made-up connections: requests one after another on one connection,
 * each with a pause before its first byte and a time until its headers are complete, looked at by
 * checks at a fixed interval. A request is never cut before the deadline, and one whose headers
 * take longer is cut by the deadline plus two intervals.
 */
class HeaderClockProperties {

    /** One request on the connection: nothing for {@code pause} ms, then headers arriving for {@code headers} ms. */
    record Request(int pause, int headers) {}

    /** Start and end (ms from the connection's opening) of each request's headers. */
    private record Phase(long start, long end) {}

    @Property(tries = 3000)
    void aRequestIsCutOnlyOnceItsHeadersHaveTakenTheDeadline(
            @ForAll("requests") List<Request> requests,
            @ForAll @IntRange(min = 1, max = 2000) int deadline,
            @ForAll @IntRange(min = 1, max = 500) int interval,
            @ForAll @IntRange(min = 0, max = 499) int firstCheck) {
        List<Phase> phases = phases(requests);
        for (long cut : cuts(phases, deadline, interval, firstCheck)) {
            Phase current = phaseAt(phases, cut);
            assertThat(current)
                    .as("cut at %d ms outside any request's headers", cut)
                    .isNotNull();
            assertThat(cut - current.start())
                    .as("cut at %d ms in headers begun at %d", cut, current.start())
                    .isGreaterThanOrEqualTo(deadline);
        }
    }

    @Property(tries = 3000)
    void aRequestWhoseHeadersOutlastTheDeadlineIsCutInTime(
            @ForAll("requests") List<Request> requests,
            @ForAll @IntRange(min = 1, max = 2000) int deadline,
            @ForAll @IntRange(min = 1, max = 500) int interval,
            @ForAll @IntRange(min = 0, max = 499) int firstCheck) {
        List<Phase> phases = phases(requests);
        List<Long> cuts = cuts(phases, deadline, interval, firstCheck);
        for (Phase phase : phases) {
            if (phase.end() - phase.start() >= deadline + 2L * interval) {
                assertThat(cuts)
                        .as("headers from %d to %d ms", phase.start(), phase.end())
                        .anyMatch(cut ->
                                cut >= phase.start() + deadline && cut < phase.start() + deadline + 2L * interval);
            }
        }
    }

    @Example
    void aConnectionThatSendsNothingIsNeverCut() {
        HeaderClock clock = new HeaderClock(millisToNanos(100));
        for (long now = 0; now < 10_000; now += 10) {
            assertThat(clock.overdue(false, 0, millisToNanos(now))).isFalse();
        }
    }

    @Example
    void theIntervalIsATenthOfTheDeadlineWithinBounds() {
        assertThat(HeaderDeadline.checkInterval(Duration.ofSeconds(5))).isEqualTo(Duration.ofMillis(500));
        assertThat(HeaderDeadline.checkInterval(Duration.ofMillis(100))).isEqualTo(Duration.ofMillis(10));
        assertThat(HeaderDeadline.checkInterval(Duration.ofMillis(50))).isEqualTo(Duration.ofMillis(10));
        assertThat(HeaderDeadline.checkInterval(Duration.ofMinutes(10))).isEqualTo(Duration.ofSeconds(1));
    }

    @Provide
    Arbitrary<List<Request>> requests() {
        // Pauses of 0 put one request's first byte right where the previous one's headers end.
        return Arbitraries.integers()
                .between(0, 3000)
                .flatMap(pause -> Arbitraries.integers().between(1, 6000).map(headers -> new Request(pause, headers)))
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    private static List<Phase> phases(List<Request> requests) {
        List<Phase> phases = new ArrayList<>();
        long at = 0;
        for (Request request : requests) {
            long start = at + request.pause();
            phases.add(new Phase(start, start + request.headers()));
            at = start + request.headers();
        }
        return phases;
    }

    /** The times (ms) at which checks every {@code interval} from {@code firstCheck} find the headers overdue. */
    private static List<Long> cuts(List<Phase> phases, int deadline, int interval, int firstCheck) {
        HeaderClock clock = new HeaderClock(millisToNanos(deadline));
        List<Long> cuts = new ArrayList<>();
        for (long now = firstCheck % interval; now <= end(phases) + interval; now += interval) {
            if (clock.overdue(phaseAt(phases, now) != null, complete(phases, now), millisToNanos(now))) {
                cuts.add(now);
            }
        }
        return cuts;
    }

    private static Phase phaseAt(List<Phase> phases, long now) {
        return phases.stream()
                .filter(p -> p.start() <= now && now < p.end())
                .findFirst()
                .orElse(null);
    }

    /** Requests whose headers are complete: the count the connection keeps. */
    private static long complete(List<Phase> phases, long now) {
        return phases.stream().filter(p -> p.end() <= now).count();
    }

    private static long end(List<Phase> phases) {
        return phases.get(phases.size() - 1).end();
    }

    private static long millisToNanos(long millis) {
        return millis * 1_000_000;
    }
}
