package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs a rule's test cases without Kafka: each case's events, in event-time order, through the
 * {@link RuleMatcher} and the {@link ReferenceEvaluation} of the rule's grouping, threshold,
 * window, distinct count and incident gap, then compares the alerts with what the case expects.
 */
public final class RuleCaseRunner {

    /** One case's outcome: passed or not, why, and the alerts it made. */
    public record CaseResult(
            String ruleId, String caseName, boolean passed, String reason, List<ReferenceEvaluation.Alert> alerts) {

        @Override
        public String toString() {
            return (passed ? "PASS " : "FAIL ") + ruleId + " / " + caseName + ": " + reason;
        }
    }

    private RuleCaseRunner() {}

    public static List<CaseResult> run(RuleDefinition rule) {
        RuleMatcher matcher = RuleMatcher.of(List.of(rule));
        List<CaseResult> results = new ArrayList<>();
        for (RuleTestCase test : rule.tests()) {
            results.add(run(rule, matcher, test));
        }
        return results;
    }

    public static List<CaseResult> runAll(List<RuleDefinition> rules) {
        List<CaseResult> results = new ArrayList<>();
        rules.forEach(rule -> results.addAll(run(rule)));
        return results;
    }

    static CaseResult run(RuleDefinition rule, RuleMatcher matcher, RuleTestCase test) {
        List<AuthEvent> events = new ArrayList<>(test.events());
        events.sort(Comparator.comparing(AuthEvent::getOccurredAt)); // stable: file order within one instant
        ReferenceEvaluation evaluation = new ReferenceEvaluation(rule);
        int matched = 0;
        List<ReferenceEvaluation.Alert> alerts = new ArrayList<>();
        for (AuthEvent event : events) {
            ObjectNode document = RuleDocument.of(event);
            if (matcher.matches(document).contains(rule.id())) {
                matched++;
                evaluation.offer(event, document).ifPresent(alerts::add);
            }
        }
        return judge(rule, test, matched, events.size(), alerts);
    }

    /**
     * Compares what a case made with what it expects: the same verdict whichever runner made the
     * alerts (this reference, or the topology in {@code bin/rules test}).
     *
     * @param matched how many of the case's events the rule's pattern matched
     */
    public static CaseResult judge(
            RuleDefinition rule, RuleTestCase test, int matched, int events, List<ReferenceEvaluation.Alert> alerts) {
        String seen = matched + " of " + events + " events matched, " + alerts.size()
                + (alerts.size() == 1 ? " alert" : " alerts");
        boolean passed;
        String reason;
        if (!test.expectAlert()) {
            passed = alerts.isEmpty();
            reason = passed
                    ? "no alert, as expected (" + seen + ")"
                    : "expected no alert: " + seen + firstSummary(alerts);
        } else if (test.alerts().isPresent()) {
            passed = alerts.size() == test.alerts().getAsInt();
            reason = (passed ? "" : "expected " + test.alerts().getAsInt() + " alert(s): ")
                    + seen
                    + firstSummary(alerts);
        } else {
            passed = !alerts.isEmpty();
            reason = (passed ? "" : "expected an alert: ") + seen + firstSummary(alerts);
        }
        return new CaseResult(rule.id(), test.name(), passed, reason, List.copyOf(alerts));
    }

    private static String firstSummary(List<ReferenceEvaluation.Alert> alerts) {
        return alerts.isEmpty()
                ? ""
                : "; first: \"" + alerts.get(0).summary() + "\" at "
                        + alerts.get(0).end();
    }

    /** For messages: the instant as ISO-8601. */
    static String at(Instant instant) {
        return instant.toString();
    }
}
