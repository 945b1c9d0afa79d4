package io.authstream.streams.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.streams.TestDrivers;
import io.authstream.streams.TopologyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.datasketches.hll.HllSketch;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;

/**
 * A month of history pulled in after live traffic (what the Auth0 logs source does for a new
 * tenant) gives the rollups and query answers of the same events sent in order: every window
 * takes late events for as long as its store keeps it.
 */
class AnalyticsBackfillTest {

    private static final Instant FIRST_DAY = Instant.parse("2025-03-01T00:00:00Z");
    private static final int HISTORY_DAYS = 30;
    private static final Instant LIVE_DAY = FIRST_DAY.plus(Duration.ofDays(HISTORY_DAYS));
    private static final Instant END = LIVE_DAY.plus(Duration.ofDays(1));
    private static final String[] PROVIDERS = {"auth0", "google-oauth2", "github"};
    private static final String[] CLIENTS = {"Web", "Mobile"};

    static {
        GeneratedClasses.trust();
    }

    /** What a run leaves: the last rollup of every key on auth.analytics, and what the stores answer. */
    private record Outcome_(Map<String, AnalyticsRollup> rollups, Map<String, List<AnalyticsRollup>> answers) {}

    @Test
    void aMonthBackfilledAfterLiveTrafficCountsAsTheSameMonthInOrder() {
        List<AuthEvent> history = days(FIRST_DAY, HISTORY_DAYS, 11);
        List<AuthEvent> live = days(LIVE_DAY, 1, 12);
        List<AuthEvent> inOrder = new ArrayList<>(history);
        inOrder.addAll(live);

        Outcome_ ordered = run("analytics-in-order", inOrder);
        List<AuthEvent> backfilled = new ArrayList<>(live);
        backfilled.addAll(history);
        Outcome_ backfill = run("analytics-backfill", backfilled);

        // hourly windows are kept 7 days: older hours are gone from both runs' stores
        Instant keptHours = END.minus(Granularity.HOUR.retention()).plus(Duration.ofHours(2));
        Predicate<AnalyticsRollup> compared = rollup -> !rollup.getMetric().equals(MetricHit.NEW_USERS)
                && (!rollup.getGranularity().equals("hour")
                        || rollup.getWindowStart().isAfter(keptHours));
        Map<String, AnalyticsRollup> expected = filter(ordered.rollups(), compared);
        assertThat(expected.keySet())
                .as("rollups of every day, span and kept hour")
                .anyMatch(key -> key.startsWith("active_users|30d|"))
                .anyMatch(key -> key.startsWith("sign_ins|hour|"))
                .anyMatch(key -> key.startsWith("failed_login_rate|day|" + FIRST_DAY));
        assertThat(filter(backfill.rollups(), compared)).isEqualTo(expected);
        assertThat(backfill.answers()).isEqualTo(ordered.answers());
    }

    @Test
    void withoutTheBackfillTheMonthIsMissingSoTheComparisonCanFail() {
        Outcome_ ordered = run("analytics-month", days(FIRST_DAY, HISTORY_DAYS + 1, 11));
        Outcome_ liveOnly = run("analytics-live", days(LIVE_DAY, 1, 12));
        assertThat(liveOnly.answers()).isNotEqualTo(ordered.answers());
    }

    private static Map<String, AnalyticsRollup> filter(
            Map<String, AnalyticsRollup> rollups, Predicate<AnalyticsRollup> keep) {
        Map<String, AnalyticsRollup> kept = new TreeMap<>();
        rollups.forEach((key, rollup) -> {
            if (keep.test(rollup)) {
                kept.put(key, rollup);
            }
        });
        return kept;
    }

    private static Outcome_ run(String applicationId, List<AuthEvent> events) {
        try (TopologyTestDriver driver = TestDrivers.start(applicationId, TopologyFixtures.GRACE)) {
            TestInputTopic<String, AuthEvent> raw = TestDrivers.raw(driver);
            for (AuthEvent event : events) {
                raw.pipeInput(event.getUserId(), event, event.getOccurredAt());
            }
            TestDrivers.releaseAll(driver);
            Map<String, AnalyticsRollup> rollups = new TreeMap<>();
            TestDrivers.output(driver, Topics.AUTH_ANALYTICS.name(), AnalyticsRollup.class)
                    .readKeyValuesToList()
                    .forEach(kv -> rollups.put(kv.key, kv.value));
            return new Outcome_(rollups, answers(driver, rollups));
        }
    }

    /** What the HTTP API answers (the same query code) for every metric key the run wrote, over the whole month. */
    private static Map<String, List<AnalyticsRollup>> answers(
            TopologyTestDriver driver, Map<String, AnalyticsRollup> rollups) {
        Map<String, List<AnalyticsRollup>> answers = new TreeMap<>();
        WindowStore<String, ValueAndTimestamp<HllSketch>> sketches =
                driver.getTimestampedWindowStore(ActiveUsers.STORE);
        for (String span : ActiveUsers.spanLabels()) {
            answers.put(
                    "active_users|" + span,
                    ActiveUsers.query(
                            sketches, ActiveUsers.spanDays(span), FIRST_DAY.toEpochMilli(), END.toEpochMilli()));
        }
        Instant keptHours = END.minus(Duration.ofDays(6));
        for (Granularity granularity : Granularity.values()) {
            WindowStore<String, ValueAndTimestamp<Tally>> store =
                    driver.getTimestampedWindowStore(granularity.storeName());
            rollups.values().stream()
                    .filter(rollup -> !rollup.getMetric().equals(ActiveUsers.METRIC)
                            && !rollup.getMetric().equals(MetricHit.NEW_USERS))
                    .map(rollup -> MetricHit.key(rollup.getMetric(), rollup.getDimension()))
                    .distinct()
                    .forEach(key -> answers.put(
                            key + "|" + granularity.label(),
                            Rollups.query(
                                    store,
                                    granularity,
                                    key,
                                    granularity == Granularity.HOUR ? keptHours : FIRST_DAY,
                                    END)));
        }
        return answers;
    }

    /** A few dozen users' sign-ins, failed logins and sign-ups on each of {@code days} days, in time order. */
    private static List<AuthEvent> days(Instant first, int days, long seed) {
        Random random = new Random(seed);
        List<AuthEvent> events = new ArrayList<>();
        for (int day = 0; day < days; day++) {
            Instant start = first.plus(Duration.ofDays(day));
            int count = 20 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                Instant at = start.plusSeconds(random.nextInt(86_400));
                String user = "auth0|u" + random.nextInt(60);
                int kind = random.nextInt(10);
                String type = kind < 6 ? "user.signed_in" : kind < 9 ? "user.sign_in_failed" : "user.signed_up";
                events.add(AuthEvent.newBuilder(SampleEvents.minimal())
                        .setEventId("e-" + seed + "-" + day + "-" + i)
                        .setType(type)
                        .setOutcome(kind < 6 || kind == 9 ? Outcome.SUCCESS : Outcome.FAILURE)
                        .setUserId(user)
                        .setIp("192.0.2." + (1 + random.nextInt(200)))
                        .setProvider(PROVIDERS[random.nextInt(PROVIDERS.length)])
                        .setClientName(CLIENTS[random.nextInt(CLIENTS.length)])
                        .setOccurredAt(at)
                        .setReceivedAt(at)
                        .build());
            }
        }
        events.sort(Comparator.comparing(AuthEvent::getOccurredAt));
        return events;
    }
}
