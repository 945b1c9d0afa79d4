package io.authstream.streams.rules;

import io.authstream.schemas.avro.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One detection rule as a rule file declares it (see docs/rules-format.md), validated by
 * {@link RuleFileLoader}.
 *
 * @param id kebab-case, unique; names the rule on its alerts
 * @param severity the alert's severity
 * @param eventTypes the Auth0 log types (or normalised types) the rule covers, for the docs
 * @param runbook one line: what to do when it fires
 * @param match the EventBridge event pattern, as JSON text, evaluated by event-ruler against a {@link RuleDocument}
 * @param groupBy field paths whose values make the subject counted (empty: one subject for all events)
 * @param threshold events (or distinct values) within {@code window} that make an alert; 1 = every matching event
 * @param window how far apart in event time the counted events may be; present when threshold &gt; 1
 * @param distinct a field path whose distinct values are counted instead of events
 * @param incidentGap how long after an alert's last evidence further matching events of the same
 *     subject extend the incident instead of alerting; defaults to the window (zero without one)
 * @param summary one sentence with {@code {field.path}} and {@code {count}}, {@code {threshold}},
 *     {@code {window}}, {@code {ruleId}} placeholders
 * @param tests the rule's test cases
 * @param source the file the rule came from
 */
public record RuleDefinition(
        String id,
        String title,
        Severity severity,
        String description,
        List<String> eventTypes,
        String runbook,
        String match,
        List<String> groupBy,
        int threshold,
        Optional<Duration> window,
        Optional<String> distinct,
        Duration incidentGap,
        String summary,
        List<RuleTestCase> tests,
        String source) {

    public RuleDefinition {
        eventTypes = List.copyOf(eventTypes);
        groupBy = List.copyOf(groupBy);
        tests = List.copyOf(tests);
    }

    /** Whether every matching event is an alert by itself (no counting). */
    public boolean singleEvent() {
        return threshold == 1 && distinct.isEmpty();
    }
}
