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
 * @param version a whole number the rule's author raises with each change; alerts carry it
 * @param enabled false: the rule (and a built-in rule of its id) does not run
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
        String source,
        int version,
        boolean enabled) {

    public RuleDefinition {
        eventTypes = List.copyOf(eventTypes);
        groupBy = List.copyOf(groupBy);
        tests = List.copyOf(tests);
    }

    /** Version 1, enabled. */
    public RuleDefinition(
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
        this(
                id,
                title,
                severity,
                description,
                eventTypes,
                runbook,
                match,
                groupBy,
                threshold,
                window,
                distinct,
                incidentGap,
                summary,
                tests,
                source,
                1,
                true);
    }

    /**
     * The entry that switches a rule off: {@code {id: x, enabled: false}} in a user file or on
     * auth.rules needs nothing else.
     */
    public static RuleDefinition disabled(String id, int version, String source) {
        return new RuleDefinition(
                id,
                id,
                Severity.LOW,
                "disabled",
                List.of("-"),
                "-",
                "{}",
                List.of(),
                1,
                Optional.empty(),
                Optional.empty(),
                Duration.ZERO,
                "-",
                List.of(),
                source,
                version,
                false);
    }

    /** The same rule with another threshold and window (the SECURITY_*_THRESHOLD / _WINDOW_MS settings). */
    public RuleDefinition withLimits(int newThreshold, Duration newWindow) {
        Duration gap = incidentGap.equals(window.orElse(Duration.ZERO)) ? newWindow : incidentGap;
        return new RuleDefinition(
                id,
                title,
                severity,
                description,
                eventTypes,
                runbook,
                match,
                groupBy,
                newThreshold,
                Optional.of(newWindow),
                distinct,
                gap,
                summary,
                tests,
                source,
                version,
                enabled);
    }

    /** How long after an event something that still matters to it can happen: the longer of window and gap. */
    public Duration horizon() {
        Duration w = window.orElse(Duration.ZERO);
        return w.compareTo(incidentGap) >= 0 ? w : incidentGap;
    }

    /** Whether every matching event is an alert by itself (no counting). */
    public boolean singleEvent() {
        return threshold == 1 && distinct.isEmpty();
    }

    /** Whether the rule alerts on each matching event with no state at all: single events and no incident gap. */
    public boolean stateless() {
        return singleEvent() && incidentGap.isZero();
    }
}
