package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.streams.rules.RuleCaseRunner.CaseResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference semantics of threshold, window, distinct, groupBy and incidentGap, through test cases. */
class RuleCaseRunnerTest {

    private static RuleDefinition rule(String counting, String tests) {
        String yaml = """
                rules:
                  - id: failures
                    title: Failures
                    severity: HIGH
                    description: Failed logins.
                    eventTypes: [fp]
                    runbook: Look.
                    match: {type: [user.sign_in_failed]}
                    summary: "{count} failures for {userId} from {ip} within {window} ({ruleId}, >= {threshold}, {raw.description})"
                """ + counting.indent(4) + "    tests:\n" + tests.indent(6);
        List<RuleDefinition> rules =
                RuleFileLoader.load("t.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        assertThat(rules).hasSize(1);
        return rules.get(0);
    }

    private static List<CaseResult> run(String counting, String tests) {
        List<CaseResult> results = RuleCaseRunner.run(rule(counting, tests));
        assertThat(results).isNotEmpty();
        return results;
    }

    private static final String FAIL_U1 = "{type: user.sign_in_failed, userId: u1, ip: 203.0.113.9";

    @Test
    void aThresholdWithinTheWindowAlertsOnceWithTheSummaryFilledIn() {
        List<CaseResult> results = run(
                "threshold: 3\nwindow: 1m",
                "- expect: alert\n  alerts: 1\n  events:\n    - " + FAIL_U1
                        + ", raw: {description: Wrong password}, repeat: 5, after: 10s}");
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.passed()).as(r.reason()).isTrue();
            assertThat(r.alerts()).singleElement().satisfies(a -> {
                assertThat(a.count()).isEqualTo(3);
                assertThat(a.summary())
                        .isEqualTo("3 failures for u1 from 203.0.113.9 within 1m (failures, >= 3, Wrong password)");
                assertThat(a.evidence()).hasSize(3);
                assertThat(a.end()).isEqualTo(a.start().plusSeconds(20));
            });
        });
    }

    @Test
    void eventsFurtherApartThanTheWindowDoNotCountTogether() {
        List<CaseResult> results = run(
                "threshold: 2\nwindow: 1m",
                "- expect: none\n  events:\n    - " + FAIL_U1 + ", repeat: 3, after: 1m}\n"
                        + "- name: wrongly expects an alert\n  expect: alert\n  events:\n    - " + FAIL_U1
                        + ", repeat: 2, after: 61s}");
        assertThat(results.get(0).passed()).as(results.get(0).reason()).isTrue();
        assertThat(results.get(1).passed()).isFalse();
        assertThat(results.get(1).reason()).startsWith("expected an alert: 2 of 2 events matched, 0 alerts");
        assertThat(results.get(1).toString()).startsWith("FAIL failures / wrongly expects an alert:");
    }

    @Test
    void eventsThePatternDoesNotMatchAreNotCounted() {
        List<CaseResult> results = run(
                "threshold: 2\nwindow: 1m",
                "- expect: none\n  events:\n    - " + FAIL_U1 + "}\n    - {type: user.signed_in, userId: u1}\n"
                        + "- expect: alert\n  events:\n    - " + FAIL_U1
                        + "}\n    - {type: user.signed_in, userId: u1}");
        assertThat(results.get(0).passed()).isTrue();
        assertThat(results.get(0).reason()).contains("1 of 2 events matched");
        assertThat(results.get(1).passed()).isFalse();
    }

    @Test
    void groupByCountsEachSubjectApartAndSkipsEventsWithoutTheField() {
        List<CaseResult> results = run(
                "groupBy: [userId]\nthreshold: 2\nwindow: 1h",
                "- expect: none\n  events:\n    - " + FAIL_U1 + "}\n    - {type: user.sign_in_failed, userId: u2}\n"
                        + "    - {type: user.sign_in_failed}\n    - {type: user.sign_in_failed}\n"
                        + "- expect: alert\n  alerts: 2\n  events:\n    - " + FAIL_U1 + ", repeat: 2}\n"
                        + "    - {type: user.sign_in_failed, userId: u2, repeat: 2}");
        assertThat(results)
                .allSatisfy(r -> assertThat(r.passed()).as(r.reason()).isTrue());
        assertThat(results.get(1).alerts())
                .extracting(ReferenceEvaluation.Alert::subject)
                .containsExactly("u1", "u2");
    }

    @Test
    void distinctCountsValuesNotEvents() {
        List<CaseResult> results = run(
                "groupBy: [ip]\ndistinct: userId\nthreshold: 3\nwindow: 10m",
                "- name: one account many times\n  expect: none\n  events:\n    - " + FAIL_U1 + ", repeat: 10}\n"
                        + "- name: three accounts\n  expect: alert\n  alerts: 1\n  events:\n"
                        + "    - {type: user.sign_in_failed, userId: a, ip: 198.51.100.1}\n"
                        + "    - {type: user.sign_in_failed, userId: a, ip: 198.51.100.1}\n"
                        + "    - {type: user.sign_in_failed, userId: b, ip: 198.51.100.1}\n"
                        + "    - {type: user.sign_in_failed, userId: c, ip: 198.51.100.1}");
        assertThat(results)
                .allSatisfy(r -> assertThat(r.passed()).as(r.reason()).isTrue());
        assertThat(results.get(1).alerts().get(0).count()).isEqualTo(3);
    }

    @Test
    void theIncidentGapDecidesWhenABurstAlertsAgain() {
        String counting = "threshold: 2\nwindow: 1m\nincidentGap: 5m";
        List<CaseResult> results = run(
                counting,
                "- name: a steady stream is one incident\n  expect: alert\n  alerts: 1\n  events:\n    - " + FAIL_U1
                        + ", repeat: 20, after: 30s}\n"
                        + "- name: a quiet gap longer than 5m makes a second incident\n  expect: alert\n  alerts: 2\n"
                        + "  events:\n    - " + FAIL_U1 + ", repeat: 2}\n    - " + FAIL_U1 + ", after: 6m}\n    - "
                        + FAIL_U1 + "}");
        assertThat(results)
                .allSatisfy(r -> assertThat(r.passed()).as(r.reason()).isTrue());
    }

    @Test
    void aSingleEventRuleAlertsOnEveryEventWithoutAGap() {
        List<CaseResult> results = run(
                "groupBy: [userId]",
                "- expect: alert\n  alerts: 3\n  events:\n    - " + FAIL_U1 + ", repeat: 3}\n"
                        + "- name: wrongly expects one\n  expect: alert\n  alerts: 1\n  events:\n    - " + FAIL_U1
                        + ", repeat: 2}\n"
                        + "- name: wrongly expects none\n  expect: none\n  events:\n    - " + FAIL_U1 + "}");
        assertThat(results.get(0).passed()).as(results.get(0).reason()).isTrue();
        assertThat(results.get(1).passed()).isFalse();
        assertThat(results.get(1).reason()).startsWith("expected 1 alert(s): 2 of 2 events matched, 2 alerts");
        assertThat(results.get(2).passed()).isFalse();
        assertThat(results.get(2).reason())
                .startsWith("expected no alert: 1 of 1 events matched, 1 alert; first: \"1 failures");
    }

    @Test
    void eventsRunInEventTimeOrder() {
        List<CaseResult> results = run(
                "threshold: 2\nwindow: 1m",
                "- expect: alert\n  events:\n    - " + FAIL_U1 + ", occurredAt: \"2025-01-01T00:10:00Z\"}\n    - "
                        + FAIL_U1
                        + ", occurredAt: \"2025-01-01T00:00:00Z\"}\n    - " + FAIL_U1
                        + ", occurredAt: \"2025-01-01T00:10:30Z\"}");
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.passed()).as(r.reason()).isTrue();
            assertThat(r.alerts().get(0).start()).hasToString("2025-01-01T00:10:00Z");
        });
    }
}
