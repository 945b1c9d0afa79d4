package io.authstream.streams.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The analytics rollups through the production topology, with the input shuffled within each batch. */
class AnalyticsTopologyTest {

    /** Midnight UTC, so hour and day windows are easy to name. */
    private static final Instant DAY1 = Instant.parse("2025-03-02T00:00:00Z");

    private static final Instant DAY2 = DAY1.plus(Duration.ofDays(1));

    private final AtomicInteger ids = new AtomicInteger();
    private final Random random = new Random(7);
    private TopologyTestDriver driver;
    private TestInputTopic<String, AuthEvent> raw;
    private TestOutputTopic<String, AnalyticsRollup> analytics;
    private final Map<String, AnalyticsRollup> latest = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        driver = TestDrivers.start("analytics-test", TopologyFixtures.GRACE);
        raw = TestDrivers.raw(driver);
        analytics = TestDrivers.output(driver, Topics.AUTH_ANALYTICS.name(), AnalyticsRollup.class);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private AuthEvent event(String type, Outcome outcome, String user, Instant at) {
        return AuthEvent.newBuilder(SampleEvents.minimal())
                .setEventId("a" + ids.incrementAndGet())
                .setType(type)
                .setOutcome(outcome)
                .setUserId(user)
                .setIp("192.0.2.1")
                .setOccurredAt(at)
                .setReceivedAt(at)
                .build();
    }

    private AuthEvent signIn(String user, Instant at, String provider, String connection, String client) {
        return AuthEvent.newBuilder(event("user.signed_in", Outcome.SUCCESS, user, at))
                .setProvider(provider)
                .setConnection(connection)
                .setClientName(client)
                .build();
    }

    private void run(List<AuthEvent> events) {
        List<AuthEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, random);
        for (AuthEvent event : shuffled) {
            raw.pipeInput(
                    event.getUserId() != null ? event.getUserId() : "ip:" + event.getIp(),
                    event,
                    event.getOccurredAt());
        }
        TestDrivers.releaseAll(driver);
        analytics.readKeyValuesToList().forEach(kv -> latest.put(kv.key, kv.value));
    }

    private AnalyticsRollup rollup(String metric, String granularity, Instant start, String dimension) {
        AnalyticsRollup rollup =
                latest.get(metric + "|" + granularity + "|" + start + "|" + (dimension == null ? "" : dimension));
        assertThat(rollup)
                .as("%s %s %s %s in %s", metric, granularity, start, dimension, latest.keySet())
                .isNotNull();
        return rollup;
    }

    @Test
    void signInsPerHourAndDayByProviderConnectionAndClient() {
        Instant nine = DAY1.plus(Duration.ofHours(9));
        Instant ten = DAY1.plus(Duration.ofHours(10));
        run(List.of(
                signIn("auth0|a", nine.plusSeconds(60), "auth0", "Username-Password-Authentication", "Web"),
                signIn("auth0|b", nine.plusSeconds(120), "auth0", "Username-Password-Authentication", "Mobile"),
                signIn("google-oauth2|c", nine.plusSeconds(180), "google-oauth2", "google-oauth2", "Web"),
                signIn("auth0|a", ten.plusSeconds(10), "auth0", "Username-Password-Authentication", "Web"),
                event("user.sign_in_failed", Outcome.FAILURE, "auth0|a", ten.plusSeconds(5))));

        assertThat(rollup("sign_ins", "hour", nine, null).getCount()).isEqualTo(3);
        assertThat(rollup("sign_ins", "hour", nine, null).getWindowEnd()).isEqualTo(ten);
        assertThat(rollup("sign_ins", "hour", ten, null).getCount()).isEqualTo(1);
        assertThat(rollup("sign_ins", "day", DAY1, null).getCount()).isEqualTo(4);
        assertThat(rollup("sign_ins", "day", DAY1, "provider=auth0").getCount()).isEqualTo(3);
        assertThat(rollup("sign_ins", "day", DAY1, "provider=google-oauth2").getCount())
                .isEqualTo(1);
        assertThat(rollup("sign_ins", "hour", nine, "client=Web").getCount()).isEqualTo(2);
        assertThat(rollup("sign_ins", "day", DAY1, "connection=Username-Password-Authentication")
                        .getCount())
                .isEqualTo(3);
        assertThat(rollup("sign_ins", "day", DAY1, null).getTotal()).isNull();
        assertThat(rollup("sign_ins", "day", DAY1, null).getValue()).isEqualTo(4.0);
    }

    @Test
    void failedLoginRatePerHourIsFailuresOverAttempts() {
        Instant hour = DAY1.plus(Duration.ofHours(3));
        run(List.of(
                event("user.sign_in_failed", Outcome.FAILURE, "auth0|x", hour.plusSeconds(1)),
                event("user.sign_in_failed", Outcome.FAILURE, null, hour.plusSeconds(2)),
                event("user.sign_in_failed", Outcome.FAILURE, "auth0|y", hour.plusSeconds(3)),
                signIn("auth0|y", hour.plusSeconds(4), "auth0", null, null),
                event("user.signed_up", Outcome.SUCCESS, "auth0|z", hour.plusSeconds(5))));
        AnalyticsRollup rate = rollup("failed_login_rate", "hour", hour, null);
        assertThat(rate.getCount()).isEqualTo(3);
        assertThat(rate.getTotal()).isEqualTo(4);
        assertThat(rate.getValue()).isEqualTo(0.75);
    }

    @Test
    void signUpsAndNewUsersPerDay() {
        run(List.of(
                event("user.signed_up", Outcome.SUCCESS, "auth0|n1", DAY1.plusSeconds(100)),
                event("user.signed_up", Outcome.SUCCESS, "auth0|n2", DAY1.plusSeconds(200)),
                event("user.sign_up_failed", Outcome.FAILURE, null, DAY1.plusSeconds(250)),
                signIn("google-oauth2|n3", DAY1.plusSeconds(300), "google-oauth2", null, null),
                signIn("auth0|n1", DAY1.plusSeconds(400), "auth0", null, null)));
        run(List.of(
                signIn("auth0|n1", DAY2.plusSeconds(100), "auth0", null, null),
                event("user.signed_up", Outcome.SUCCESS, "auth0|n4", DAY2.plusSeconds(200))));
        assertThat(rollup("sign_ups", "day", DAY1, null).getCount()).isEqualTo(2);
        assertThat(rollup("sign_ups", "day", DAY2, null).getCount()).isEqualTo(1);
        // First seen: n1, n2, n3 on day 1; n4 on day 2 (n1 returning is not new).
        assertThat(rollup("new_users", "day", DAY1, null).getCount()).isEqualTo(3);
        assertThat(rollup("new_users", "day", DAY2, null).getCount()).isEqualTo(1);
    }

    @Test
    void activeUsersPerDaySevenAndThirtyDaysAreDistinctAcrossDays() {
        run(List.of(
                signIn("u-a", DAY1.plusSeconds(10), null, null, null),
                signIn("u-b", DAY1.plusSeconds(20), null, null, null),
                signIn("u-a", DAY1.plusSeconds(30), null, null, null),
                signIn("u-c", DAY1.plusSeconds(40), null, null, null),
                event("user.sign_in_failed", Outcome.FAILURE, "u-z", DAY1.plusSeconds(50))));
        run(List.of(
                signIn("u-a", DAY2.plusSeconds(10), null, null, null),
                signIn("u-d", DAY2.plusSeconds(20), null, null, null)));
        assertThat(rollup("active_users", "day", DAY1, null).getValue()).isEqualTo(3.0);
        assertThat(rollup("active_users", "day", DAY2, null).getValue()).isEqualTo(2.0);
        AnalyticsRollup week = rollup("active_users", "7d", DAY2.minus(Duration.ofDays(6)), null);
        assertThat(week.getValue()).as("a, b, c, d: u-a counted once").isEqualTo(4.0);
        assertThat(week.getWindowEnd()).isEqualTo(DAY2.plus(Duration.ofDays(1)));
        assertThat(rollup("active_users", "day", DAY1, null).getRelativeError())
                .as("a small day is all but exact")
                .isLessThan(0.001);
        assertThat(week.getRelativeError())
                .as("a union states the sketch's bound")
                .isLessThan(0.02);
        assertThat(rollup("active_users", "30d", DAY2.minus(Duration.ofDays(29)), null)
                        .getValue())
                .isEqualTo(4.0);
    }

    @Test
    void manyActiveUsersAreEstimatedWithinTheStatedError() {
        List<AuthEvent> events = new ArrayList<>();
        int users = 5_000;
        for (int i = 0; i < users; i++) {
            events.add(signIn("user-" + i, DAY1.plusMillis(i * 4L), null, null, null));
        }
        run(events);
        AnalyticsRollup day = rollup("active_users", "day", DAY1, null);
        assertThat(day.getRelativeError()).isBetween(0.01, 0.02);
        // Three standard errors: fails about 3 times in 1000 for a random sketch; this input is fixed.
        assertThat(day.getValue()).isCloseTo(users, within(3 * day.getRelativeError() * users));
    }

    /**
     * The daily active users' store keeps no record cache: with one, an analytics query and the
     * cache's flush into the rollups locked each other out (AnalyticsRestoreIT hung; see
     * AuthTopology). The store's layers are Kafka Streams' own, so this names their classes.
     */
    @Test
    void theDailyActiveUsersStoreHasNoRecordCache() {
        assertThat(layers(ActiveUsers.STORE))
                .as("the store's layers")
                .isNotEmpty()
                .noneMatch(layer -> layer.startsWith("Caching"));
        // What the test would see with a cache: the hourly counts' store has one.
        assertThat(layers(Granularity.HOUR.storeName())).anyMatch(layer -> layer.startsWith("Caching"));
    }

    private List<String> layers(String storeName) {
        List<String> layers = new ArrayList<>();
        StateStore store = driver.getAllStateStores().get(storeName);
        while (store != null) {
            layers.add(store.getClass().getSimpleName());
            store = store instanceof WrappedStateStore<?, ?, ?> wrapped ? wrapped.wrapped() : null;
        }
        return layers;
    }
}
