package io.authstream.streams.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.streams.AuthTopology;
import io.authstream.streams.TestDrivers;
import io.authstream.streams.TopologyFixtures;
import io.authstream.streams.rules.RuleFileLoader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rules published on auth.rules while the topology runs: a new rule fires from the next event,
 * a tombstone stops it, a new version replaces the old, a rule with a built-in id overrides it,
 * {@code enabled: false} switches a built-in rule off, RULES_DISABLED wins over both, and an
 * invalid record is refused while the previous version stays in force.
 */
class PublishedRulesTest {

    private static final Instant T0 = TopologyFixtures.T0;

    private static final String SAPI_BURST = """
            id: sapi-burst
            version: %d
            title: Management API changes in a burst
            severity: MEDIUM
            description: Several Management API changes by one client.
            eventTypes: [sapi]
            runbook: Check what the client changed.
            match:
              originalType: [sapi]
            groupBy: [clientId]
            threshold: %d
            window: 10m
            summary: "{count} changes by {clientId} within {window}"
            """;

    private final AtomicInteger ids = new AtomicInteger();
    private TopologyTestDriver driver;
    private TestInputTopic<String, AuthEvent> raw;
    private TestInputTopic<String, String> rules;
    private TestOutputTopic<String, SecurityAlert> alerts;
    private long seconds;

    private void start(SecuritySettings security) {
        driver = TestDrivers.start(
                "published-rules-test",
                new AuthTopology.Settings(
                        Duration.ofHours(24),
                        TopologyFixtures.GRACE,
                        Duration.ofSeconds(1),
                        security,
                        EventTimeBounds.defaults(),
                        EventLimits.defaults(),
                        Duration.ofSeconds(1)));
        raw = TestDrivers.raw(driver);
        rules = driver.createInputTopic(Topics.AUTH_RULES.name(), new StringSerializer(), new StringSerializer());
        alerts = TestDrivers.output(driver, Topics.AUTH_SECURITY_ALERTS.name(), SecurityAlert.class);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private AuthEvent event(String type, String originalType, String client, String user, String ip) {
        Instant at = T0.plusSeconds(seconds += 5);
        return AuthEvent.newBuilder(SampleEvents.minimal())
                .setEventId("p" + ids.incrementAndGet())
                .setType(type)
                .setOriginalType(originalType)
                .setOutcome(Outcome.SUCCESS)
                .setClientId(client)
                .setUserId(user)
                .setIp(ip)
                .setOccurredAt(at)
                .setReceivedAt(at)
                .build();
    }

    /** {@code n} sapi events of one client, then the alerts they made. */
    private List<SecurityAlert> sapi(String client, int n) {
        for (int i = 0; i < n; i++) {
            AuthEvent e = event("auth0.sapi", "sapi", client, null, null);
            raw.pipeInput(e.getEventId(), e, e.getOccurredAt());
        }
        driver.advanceWallClockTime(TopologyFixtures.GRACE.plusSeconds(1));
        return alerts.readValuesToList();
    }

    private List<SecurityAlert> failures(String user, int n) {
        for (int i = 0; i < n; i++) {
            AuthEvent e = AuthEvent.newBuilder(event("user.sign_in_failed", "fp", null, user, "198.51.100.90"))
                    .setOutcome(Outcome.FAILURE)
                    .build();
            raw.pipeInput(user, e, e.getOccurredAt());
        }
        driver.advanceWallClockTime(TopologyFixtures.GRACE.plusSeconds(1));
        return alerts.readValuesToList();
    }

    @Test
    void aPublishedRuleFiresFromTheNextEventAndATombstoneStopsIt() {
        start(SecuritySettings.defaults());
        assertThat(sapi("client-a", 3)).isEmpty();
        rules.pipeInput("sapi-burst", SAPI_BURST.formatted(1, 3));
        List<SecurityAlert> fired = sapi("client-b", 3);
        assertThat(fired).singleElement().satisfies(alert -> {
            assertThat(alert.getRuleId()).isEqualTo("sapi-burst");
            assertThat(alert.getSummary()).isEqualTo("3 changes by client-b within 10m");
            assertThat(alert.getAttributes()).containsEntry("rule_version", "1").containsEntry("subject", "client-b");
        });
        KeyValueStore<String, String> published = driver.getKeyValueStore(AuthTopology.PUBLISHED_RULES_STORE);
        assertThat(published.get("sapi-burst")).contains("sapi-burst");

        rules.pipeInput("sapi-burst", (String) null);
        assertThat(sapi("client-c", 5)).isEmpty();
        assertThat(published.get("sapi-burst")).isNull();
    }

    @Test
    void aNewVersionReplacesTheOldOneAndAnInvalidRecordLeavesItInForce() {
        start(SecuritySettings.defaults());
        rules.pipeInput("sapi-burst", SAPI_BURST.formatted(1, 3));
        rules.pipeInput("sapi-burst", SAPI_BURST.formatted(2, 2));
        assertThat(sapi("client-d", 2))
                .singleElement()
                .satisfies(a -> assertThat(a.getAttributes()).containsEntry("rule_version", "2"));

        rules.pipeInput("sapi-burst", SAPI_BURST.formatted(3, 2).replace("threshold: 2", "threshold: two"));
        rules.pipeInput("other-id", SAPI_BURST.formatted(4, 2));
        assertThat(sapi("client-e", 2))
                .as("version 2 is still in force; neither refused record is")
                .singleElement()
                .satisfies(a -> assertThat(a.getAttributes()).containsEntry("rule_version", "2"));
    }

    @Test
    void aPublishedRuleOverridesTheBuiltInOneOfItsIdAndWithdrawingItBringsTheBuiltInBack() {
        start(SecuritySettings.defaults());
        String stricter = RuleFileLoader.builtIn().stream()
                .filter(r -> r.id().equals("brute-force"))
                .findFirst()
                .map(r -> """
                        id: brute-force
                        version: 7
                        title: Brute force (stricter)
                        severity: CRITICAL
                        description: Three failures.
                        eventTypes: [fp]
                        runbook: Lock the account.
                        match: %s
                        groupBy: [ip, "userId ?? email"]
                        threshold: 3
                        window: 1h
                        summary: "{count} failures for {userId}"
                        """.formatted(r.match()))
                .orElseThrow();
        rules.pipeInput("brute-force", stricter);
        assertThat(failures("auth0|strict", 3)).singleElement().satisfies(a -> {
            assertThat(a.getRuleId()).isEqualTo("brute-force");
            assertThat(a.getSeverity().name()).isEqualTo("CRITICAL");
            assertThat(a.getAttributes()).containsEntry("rule_version", "7");
        });
        rules.pipeInput("brute-force", (String) null);
        assertThat(failures("auth0|back", 9)).isEmpty();
        assertThat(failures("auth0|back", 1))
                .singleElement()
                .satisfies(a -> assertThat(a.getAttributes()).containsEntry("rule_version", "1"));
    }

    @Test
    void enabledFalseSwitchesABuiltInRuleOffAndRulesDisabledWinsOverAPublishedRule() {
        start(SecuritySettings.defaults());
        rules.pipeInput("brute-force", "{id: brute-force, enabled: false}");
        assertThat(failures("auth0|off", 10))
                .extracting(SecurityAlert::getRuleId)
                .doesNotContain("brute-force");
        driver.close();

        SecuritySettings defaults = SecuritySettings.defaults();
        start(new SecuritySettings(
                defaults.builtIn(),
                List.of(),
                Set.of("sapi-burst"),
                defaults.impossibleTravelKmh(),
                defaults.impossibleTravelMinKm(),
                defaults.newCountryLearningSignIns(),
                defaults.lateness()));
        rules.pipeInput("sapi-burst", SAPI_BURST.formatted(1, 2));
        assertThat(sapi("client-f", 4)).isEmpty();
    }
}
