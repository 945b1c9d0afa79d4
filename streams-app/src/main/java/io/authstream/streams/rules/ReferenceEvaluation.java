package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.avro.AuthEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The reference semantics of a rule's counting, small enough to read: what the rule format
 * means, against which the topology (RuleMatchStage, RuleCounter) is tested. Events must come in
 * event-time order (a test case's are sorted); the topology also takes them out of order.
 *
 * <ul>
 *   <li>The subject is the values of the {@code groupBy} paths; an event missing one (or missing
 *       the {@code distinct} path) is skipped, as today's rules skip events without a user or IP.
 *   <li>An event less than or exactly {@code incidentGap} after the last evidence of the
 *       subject's open incident extends it: no new alert, not counted.
 *   <li>Otherwise it is counted with the subject's earlier events less than {@code window} before
 *       it; when they reach {@code threshold} (events, or distinct values), that is an alert and
 *       the counted events are cleared.
 * </ul>
 */
public final class ReferenceEvaluation {

    /** One alert: its subject (the groupBy values joined with |), the count, the evidence span. */
    public record Alert(
            String ruleId,
            String subject,
            int count,
            Instant start,
            Instant end,
            String summary,
            List<String> evidence) {}

    private record Evidence(Instant time, String eventId, String value) {}

    private static final class SubjectState {
        final Deque<Evidence> events = new ArrayDeque<>();
        Instant incidentEnd;
    }

    private final RuleDefinition rule;
    private final Map<String, SubjectState> subjects = new HashMap<>();

    public ReferenceEvaluation(RuleDefinition rule) {
        this.rule = rule;
    }

    /** Offers one event that matched the rule's pattern; returns the alert it makes, if any. */
    public Optional<Alert> offer(AuthEvent event, JsonNode document) {
        Optional<CountedValue> counted = CountedValue.of(rule, event, document);
        if (counted.isEmpty()) {
            return Optional.empty();
        }
        String subject = counted.get().subject();
        String value = counted.get().value();
        SubjectState state = subjects.computeIfAbsent(subject, s -> new SubjectState());
        Instant time = event.getOccurredAt();
        Duration gap = rule.incidentGap();
        if (state.incidentEnd != null && !gap.isZero() && !time.isAfter(state.incidentEnd.plus(gap))) {
            state.incidentEnd = time;
            return Optional.empty();
        }
        state.events.addLast(new Evidence(time, event.getEventId(), value));
        rule.window().ifPresent(window -> {
            while (!state.events.isEmpty() && !state.events.peekFirst().time().isAfter(time.minus(window))) {
                state.events.removeFirst();
            }
        });
        int count;
        if (rule.distinct().isPresent()) {
            Set<String> values = new HashSet<>();
            state.events.forEach(e -> values.add(e.value()));
            count = values.size();
        } else {
            count = state.events.size();
        }
        if (count < rule.threshold()) {
            return Optional.empty();
        }
        List<String> evidence = state.events.stream().map(Evidence::eventId).toList();
        Instant start = state.events.peekFirst().time();
        state.events.clear();
        state.incidentEnd = time;
        return Optional.of(new Alert(rule.id(), subject, count, start, time, summary(document, count), evidence));
    }

    /** The rule's summary with its placeholders filled from the event's document ({@code ?} for a missing value). */
    String summary(JsonNode document, int count) {
        return RuleSummaries.render(rule, document, count);
    }
}
