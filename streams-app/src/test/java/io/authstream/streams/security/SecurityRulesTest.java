package io.authstream.streams.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.Severity;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.streams.AuthTopology;
import io.authstream.streams.TestDrivers;
import io.authstream.streams.TopologyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every security rule through the production topology (dedup and reorder included), on both
 * sides of its threshold, with the input shuffled: events of one user arrive out of order (some
 * late, past the reorder grace), and the IP rules see many users' events interleaved.
 */
class SecurityRulesTest {

    private static final Instant T0 = TopologyFixtures.T0;
    private static final GeoLocation PARIS = geo("FR", 48.8566, 2.3522);
    private static final GeoLocation NEW_YORK = geo("US", 40.7128, -74.0060);
    private static final GeoLocation LONDON = geo("GB", 51.5074, -0.1278);
    private static final GeoLocation VERSAILLES = geo("FR", 48.8049, 2.1204);
    private static final GeoLocation BERLIN = geo("DE", 52.5200, 13.4050);

    private final AtomicInteger ids = new AtomicInteger();
    private final Random random = new Random(42);
    private TopologyTestDriver driver;
    private TestInputTopic<String, AuthEvent> raw;
    private TestOutputTopic<String, SecurityAlert> alerts;

    @BeforeEach
    void start() {
        driver = TestDrivers.start("security-rules-test", TopologyFixtures.GRACE);
        raw = TestDrivers.raw(driver);
        alerts = TestDrivers.output(driver, Topics.AUTH_SECURITY_ALERTS.name(), SecurityAlert.class);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static GeoLocation geo(String country, double lat, double lon) {
        return GeoLocation.newBuilder()
                .setCountryCode(country)
                .setLatitude(lat)
                .setLongitude(lon)
                .build();
    }

    private AuthEvent event(String type, Outcome outcome, String user, String ip, long secondsAfterT0) {
        Instant at = T0.plusSeconds(secondsAfterT0);
        return AuthEvent.newBuilder(SampleEvents.minimal())
                .setEventId("e" + ids.incrementAndGet())
                .setType(type)
                .setOutcome(outcome)
                .setUserId(user)
                .setIp(ip)
                .setOccurredAt(at)
                .setReceivedAt(at)
                .build();
    }

    private AuthEvent failed(String user, String ip, long seconds) {
        return event("user.sign_in_failed", Outcome.FAILURE, user, ip, seconds);
    }

    private AuthEvent signIn(String user, String ip, long seconds, GeoLocation geo) {
        return AuthEvent.newBuilder(event("user.signed_in", Outcome.SUCCESS, user, ip, seconds))
                .setGeo(geo)
                .build();
    }

    /** Sends in a shuffled order, then lets the reorder buffer release everything. */
    private List<SecurityAlert> run(List<AuthEvent> events) {
        List<AuthEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, random);
        for (AuthEvent event : shuffled) {
            raw.pipeInput(
                    event.getUserId() != null ? event.getUserId() : "ip:" + event.getIp(),
                    event,
                    event.getOccurredAt());
        }
        driver.advanceWallClockTime(TopologyFixtures.GRACE.plusSeconds(1));
        return alerts.readValuesToList();
    }

    private static List<String> rules(List<SecurityAlert> fired) {
        return fired.stream().map(SecurityAlert::getRuleId).toList();
    }

    @Test
    void bruteForceFiresAtTenFailuresForOneAccountFromOneIpWithinAnHourOnce() {
        List<AuthEvent> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nine.add(failed("auth0|victim", "198.51.100.7", i * 360L));
        }
        assertThat(run(nine)).isEmpty();

        List<AuthEvent> more = new ArrayList<>();
        more.add(failed("auth0|victim", "198.51.100.7", 3500));
        for (int i = 0; i < 15; i++) {
            more.add(failed("auth0|victim", "198.51.100.7", 3510 + i));
        }
        List<SecurityAlert> fired = run(more);
        assertThat(rules(fired)).containsExactly("brute-force");
        SecurityAlert alert = fired.get(0);
        assertThat(alert.getUserId()).isEqualTo("auth0|victim");
        assertThat(alert.getIp()).isEqualTo("198.51.100.7");
        assertThat(alert.getSeverity()).isEqualTo(Severity.HIGH);
        assertThat(alert.getEvidence()).hasSize(10);
        assertThat(alert.getAttributes()).containsEntry("count", "10").containsEntry("threshold", "10");
        assertThat(alert.getSummary()).isEqualTo("10 failed logins for auth0|victim from 198.51.100.7 within 1h");
    }

    @Test
    void bruteForceNeedsTheTenWithinTheHourAndFromOneIp() {
        List<AuthEvent> spread = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            spread.add(failed("auth0|slow", "198.51.100.8", i * 420L)); // 63 min from first to last
        }
        for (int i = 0; i < 10; i++) {
            spread.add(failed("auth0|roaming", "198.51.100." + (100 + i % 2), i * 10L)); // 5 + 5 from two IPs
        }
        assertThat(run(spread)).isEmpty();
    }

    @Test
    void aFailedLoginWithoutUserIdCountsForTheNameTyped() {
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(AuthEvent.newBuilder(failed(null, "198.51.100.9", i))
                    .setEmail("ghost@example.com")
                    .build());
        }
        List<SecurityAlert> fired = run(events);
        assertThat(rules(fired)).containsExactly("brute-force");
        assertThat(fired.get(0).getUserId()).isNull();
        assertThat(fired.get(0).getSummary()).contains("ghost@example.com from 198.51.100.9");
    }

    @Test
    void credentialStuffingFiresAtOneHundredFailuresFromOneIpAcrossAccountsIn24Hours() {
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            events.add(failed("auth0|u" + i, "203.0.113.50", i * 840L)); // one every 14 min: no 10-minute burst
        }
        assertThat(run(events)).isEmpty();
        List<SecurityAlert> fired = run(List.of(failed("auth0|u99", "203.0.113.50", 99 * 840L)));
        assertThat(rules(fired)).containsExactly("credential-stuffing");
        assertThat(fired.get(0).getIp()).isEqualTo("203.0.113.50");
        assertThat(fired.get(0).getEvidence()).hasSize(100);
    }

    @Test
    void failuresAgainstTwentyDistinctAccountsFromOneIpInTenMinutesFire() {
        List<AuthEvent> fewAccounts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            fewAccounts.add(failed("auth0|a" + (i % 5), "203.0.113.60", i * 20L)); // 25 failures, 5 accounts
        }
        assertThat(run(fewAccounts)).isEmpty();

        List<AuthEvent> nineteen = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            nineteen.add(failed("auth0|s" + i, "203.0.113.61", i * 30L));
        }
        assertThat(run(nineteen)).isEmpty();
        List<SecurityAlert> fired = run(List.of(failed("auth0|s19", "203.0.113.61", 590)));
        assertThat(rules(fired)).containsExactly("credential-stuffing-accounts");
        assertThat(fired.get(0).getAttributes())
                .containsEntry("counted", "distinct")
                .containsEntry("count", "20");
    }

    @Test
    void signupAbuseFiresAtFiftySignupsFromOneIpInAMinute() {
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < 49; i++) {
            events.add(event("user.signed_up", Outcome.SUCCESS, "auth0|new" + i, "192.0.2.77", i));
        }
        events.add(event(
                "user.signed_up", Outcome.SUCCESS, "auth0|late", "192.0.2.77", 61)); // outside the minute of the first
        assertThat(run(events)).isEmpty();
        List<SecurityAlert> fired = run(List.of(event("user.sign_up_failed", Outcome.FAILURE, null, "192.0.2.77", 58)));
        assertThat(rules(fired)).containsExactly("signup-abuse");
        assertThat(fired.get(0).getSeverity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void signInsFromThreeIpsWithinTenMinutesFire() {
        assertThat(run(List.of(
                        signIn("auth0|m", "192.0.2.1", 0, null),
                        signIn("auth0|m", "192.0.2.2", 60, null),
                        signIn("auth0|m", "192.0.2.1", 120, null),
                        signIn("auth0|m", "192.0.2.3", 900, null))))
                .isEmpty();
        List<SecurityAlert> fired =
                run(List.of(signIn("auth0|m", "192.0.2.4", 1000, null), signIn("auth0|m", "192.0.2.5", 1100, null)));
        assertThat(rules(fired)).containsExactly("multi-ip-sign-in");
        assertThat(fired.get(0).getEvidence()).hasSize(3);
    }

    @Test
    void mfaPushFatigueFiresAtFivePushesOrDenialsInThirtyMinutes() {
        List<AuthEvent> four = List.of(
                event("mfa.push_sent", Outcome.NONE, "auth0|p", "192.0.2.9", 0),
                event("mfa.push_rejected", Outcome.FAILURE, "auth0|p", "192.0.2.9", 100),
                event("mfa.push_sent", Outcome.NONE, "auth0|p", "192.0.2.9", 200),
                event("mfa.push_rejected", Outcome.FAILURE, "auth0|p", "192.0.2.9", 300));
        assertThat(run(four)).isEmpty();
        List<SecurityAlert> fired = run(List.of(event("mfa.push_sent", Outcome.NONE, "auth0|p", "192.0.2.9", 1700)));
        assertThat(rules(fired)).containsExactly("mfa-push-fatigue");
    }

    @Test
    void rapidCredentialRefreshFiresAtTwentyInFiveMinutes() {
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            events.add(event(
                    i % 2 == 0 ? "credentials.refreshed" : "credentials.exchanged",
                    Outcome.SUCCESS,
                    "auth0|r",
                    "192.0.2.10",
                    i * 15L));
        }
        events.add(
                event("credentials.refreshed", Outcome.FAILURE, "auth0|r", "192.0.2.10", 290)); // failures do not count
        assertThat(run(events)).isEmpty();
        List<SecurityAlert> fired =
                run(List.of(event("credentials.refreshed", Outcome.SUCCESS, "auth0|r", "192.0.2.10", 295)));
        assertThat(rules(fired)).containsExactly("rapid-credential-refresh");
    }

    @Test
    void impossibleTravelFiresAboveTheSpeedAndIgnoresShortHopsAndMissingGeo() {
        // Paris → London in 5 h (69 km/h), Paris → Versailles (~13 km) in a minute, no geo at all: nothing.
        assertThat(run(List.of(
                        signIn("auth0|t", "192.0.2.20", 0, PARIS),
                        signIn("auth0|t", "192.0.2.21", 5 * 3600, LONDON),
                        signIn("auth0|v", "192.0.2.22", 0, PARIS),
                        signIn("auth0|v", "192.0.2.23", 60, VERSAILLES),
                        signIn("auth0|n", "192.0.2.24", 0, null),
                        signIn("auth0|n", "192.0.2.25", 60, null))))
                .isEmpty();

        // London, then New York one hour later (~5570 km/h).
        List<SecurityAlert> fired = run(List.of(signIn("auth0|t", "192.0.2.26", 6 * 3600, NEW_YORK)));
        assertThat(rules(fired)).containsExactly(TravelDetector.IMPOSSIBLE_TRAVEL);
        SecurityAlert alert = fired.get(0);
        assertThat(Double.parseDouble(alert.getAttributes().get("distance_km"))).isBetween(5500.0, 5650.0);
        assertThat(alert.getAttributes()).containsEntry("countries", "GB->US");
        assertThat(alert.getEvidence()).hasSize(2);
    }

    @Test
    void impossibleTravelIsFoundWhenTheEarlierSignInArrivesLate() {
        assertThat(run(List.of(
                        signIn("auth0|late", "192.0.2.30", 3600, NEW_YORK),
                        signIn("auth0|late", "192.0.2.31", 7200, NEW_YORK))))
                .isEmpty();
        // Arrives after both were released: late, and still compared with its successor in time.
        List<SecurityAlert> fired = run(List.of(signIn("auth0|late", "192.0.2.32", 1800, PARIS)));
        assertThat(rules(fired)).containsExactly(TravelDetector.IMPOSSIBLE_TRAVEL);
        assertThat(fired.get(0).getAttributes()).containsEntry("countries", "FR->US");
    }

    @Test
    void aNewCountryAlertsOnlyAfterTheLearningSignIns() {
        List<AuthEvent> learning = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            learning.add(signIn("auth0|c", "192.0.2.40", i * 86_400L, PARIS));
        }
        learning.add(signIn("auth0|c", "192.0.2.41", 5 * 86_400L, BERLIN)); // 4 known sign-ins: still learning
        assertThat(run(learning)).isEmpty();

        List<SecurityAlert> fired = run(List.of(signIn("auth0|c", "192.0.2.42", 6 * 86_400L, NEW_YORK)));
        assertThat(rules(fired)).containsExactly(TravelDetector.NEW_COUNTRY);
        assertThat(fired.get(0).getAttributes())
                .containsEntry("country", "US")
                .containsEntry("known_countries", "DE,FR");
        assertThat(run(List.of(signIn("auth0|c", "192.0.2.43", 7 * 86_400L, NEW_YORK))))
                .isEmpty();
    }

    @Test
    void auth0BlocksBreachedPasswordsAndRefreshTokenReuseAreAlertsByThemselves() {
        AuthEvent block = AuthEvent.newBuilder(event("user.blocked", Outcome.FAILURE, null, "192.0.2.50", 0))
                .setOriginalType("limit_wc")
                .setEmail("jane@example.com")
                .build();
        AuthEvent leak = AuthEvent.newBuilder(event("user.breached_password", Outcome.FAILURE, null, "2001:db8::5", 10))
                .setOriginalType("pwd_leak")
                .build();
        AuthEvent reuse = AuthEvent.newBuilder(
                        event("credentials.refresh_token_reused", Outcome.FAILURE, "google-oauth2|1", "192.0.2.51", 20))
                .setOriginalType("ferrt")
                .build();
        List<SecurityAlert> fired = run(List.of(block, leak, reuse, signIn("auth0|ok", "192.0.2.52", 30, PARIS)));
        assertThat(rules(fired))
                .containsExactlyInAnyOrder("auth0-attack-protection", "breached-password", "refresh-token-reuse");
        assertThat(fired)
                .filteredOn(a -> a.getRuleId().equals("auth0-attack-protection"))
                .singleElement()
                .satisfies(a -> assertThat(a.getAttributes()).containsEntry("auth0_type", "limit_wc"));
    }

    @Test
    void alertIdsAreTheSameOnAReplay() {
        List<AuthEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(failed("auth0|again", "198.51.100.70", i));
        }
        List<String> first = run(events).stream().map(SecurityAlert::getAlertId).toList();
        driver.close();
        start();
        List<String> second =
                run(events).stream().map(SecurityAlert::getAlertId).toList();
        assertThat(first).hasSize(1).isEqualTo(second);
    }

    @Test
    void aBurstThatGoesQuietForAWindowIsANewIncident() {
        List<AuthEvent> bursts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            bursts.add(failed("auth0|twice", "198.51.100.80", i));
            bursts.add(failed("auth0|twice", "198.51.100.80", 90 * 60 + i)); // quiet for more than the 1 h window
        }
        List<SecurityAlert> fired = run(bursts);
        assertThat(rules(fired)).containsExactly("brute-force", "brute-force");
        assertThat(fired.get(0).getAlertId()).isNotEqualTo(fired.get(1).getAlertId());
        assertThat(Duration.between(fired.get(0).getWindowStart(), fired.get(1).getWindowStart()))
                .isEqualTo(Duration.ofMinutes(90));
    }

    /** Sends in the order given, then lets the reorder buffer release everything. */
    private List<SecurityAlert> runInOrder(List<AuthEvent> events) {
        for (AuthEvent event : events) {
            raw.pipeInput(event.getUserId(), event, event.getOccurredAt());
        }
        driver.advanceWallClockTime(TopologyFixtures.GRACE.plusSeconds(1));
        return alerts.readValuesToList();
    }

    private List<AuthEvent> distinctAccountFailures(String ip, int from, int count) {
        List<AuthEvent> failures = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            failures.add(failed("auth0|stuffed" + i, ip, i * 30L));
        }
        return failures;
    }

    @Test
    void aBurstSplitByMuchLaterEventsOfAnotherSubjectStillFires() {
        // Half the burst, then (as from a partition that is ahead) a sign-in 50 min later from
        // another IP, which moves the IP task's stream time past the burst's window, then the rest.
        assertThat(runInOrder(distinctAccountFailures("203.0.113.70", 0, 10))).isEmpty();
        assertThat(runInOrder(List.of(signIn("auth0|elsewhere", "192.0.2.70", 50 * 60, null))))
                .isEmpty();
        List<SecurityAlert> fired = runInOrder(distinctAccountFailures("203.0.113.70", 10, 10));
        assertThat(rules(fired)).contains("credential-stuffing-accounts");
    }

    @Test
    void eventsFurtherBehindThanWindowAndLatenessAreDroppedAsLateAndCounted() {
        assertThat(runInOrder(List.of(signIn("auth0|ahead", "192.0.2.71", 3 * 3600, null))))
                .isEmpty();
        // 20 distinct accounts from one IP within 10 min, but 3 h behind: past 10 min + 1 h of lateness.
        assertThat(runInOrder(distinctAccountFailures("203.0.113.71", 0, 20))).isEmpty();
        // Late for brute force (1 h) and distinct accounts (10 min); credential stuffing's 24 h window still takes
        // them.
        assertThat(lateEvents(AuthTopology.RULE_WINDOWS_STORE))
                .as("each failure, for the two rules it is late for")
                .isEqualTo(40.0);
    }

    @Test
    void aQuietWindowIsKeptWhileAnEventThatCountsCouldStillJoinIt() {
        runInOrder(distinctAccountFailures("203.0.113.72", 0, 5)); // the last at T0 + 2 min
        String key = "credential-stuffing-accounts" + "\u0000203.0.113.72";
        KeyValueStore<String, RuleWindow> windows = driver.getKeyValueStore(AuthTopology.RULE_WINDOWS_STORE);
        // An event at T0 + 12 min still joins it; it counts until stream time T0 + 12 + 10 + 60 min.
        runInOrder(List.of(signIn("auth0|clock", "192.0.2.72", 80 * 60, null)));
        assertThat(windows.get(key)).isNotNull();
        runInOrder(List.of(signIn("auth0|clock", "192.0.2.72", 100 * 60, null)));
        assertThat(windows.get(key)).isNull();
    }

    private double lateEvents(String store) {
        return driver.metrics().entrySet().stream()
                .filter(m -> m.getKey().name().equals("security-rules-late-events-total")
                        && store.equals(m.getKey().tags().get("rules")))
                .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue())
                .sum();
    }
}
