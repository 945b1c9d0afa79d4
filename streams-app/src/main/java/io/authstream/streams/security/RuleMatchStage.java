package io.authstream.streams.security;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.rules.CountedValue;
import io.authstream.streams.rules.FieldPaths;
import io.authstream.streams.rules.RuleBook;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleSummaries;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The first half of the rules engine: matches each event against every rule in force (one
 * event-ruler machine, {@link RuleBook#current()}) and turns each match into a {@link RuleHit}.
 * The rule document is built only for events some rule matched, and only of what their groupBy,
 * distinct and summary paths read.
 */
public final class RuleMatchStage {

    private final RuleBook rules;

    public RuleMatchStage(RuleBook rules) {
        this.rules = rules;
    }

    public List<RuleHit> hits(AuthEvent event) {
        RuleBook.Snapshot snapshot = rules.current();
        List<String> matched = snapshot.matcher().matches(event);
        if (matched.isEmpty()) {
            return List.of();
        }
        ObjectNode document = snapshot.matcher().documentFor(matched, event);
        List<RuleHit> hits = new ArrayList<>(matched.size());
        for (String id : matched) {
            snapshot.rule(id).flatMap(rule -> hit(rule, event, document)).ifPresent(hits::add);
        }
        return hits;
    }

    /** Empty when the event lacks a groupBy value or the distinct value (it is not counted, as in the reference). */
    static Optional<RuleHit> hit(RuleDefinition rule, AuthEvent event, ObjectNode document) {
        Optional<CountedValue> counted = CountedValue.of(rule, event, document);
        if (counted.isEmpty()) {
            return Optional.empty();
        }
        boolean single = rule.stateless();
        Map<String, String> attributes = new HashMap<>();
        if (single) {
            attributes.put("auth0_type", event.getOriginalType() != null ? event.getOriginalType() : event.getType());
            if (event.getEmail() != null) {
                attributes.put("email", event.getEmail());
            }
        }
        return Optional.of(new RuleHit(
                rule.id(),
                rule.version(),
                rule.severity(),
                rule.threshold(),
                rule.window().map(w -> w.toMillis()).orElse(0L),
                rule.incidentGap().toMillis(),
                rule.distinct().isPresent(),
                counted.get().subject(),
                single || groupsBy(rule, "userId") ? event.getUserId() : null,
                single || groupsBy(rule, "ip") ? event.getIp() : null,
                event.getEventId(),
                event.getOccurredAt().toEpochMilli(),
                counted.get().value(),
                RuleSummaries.renderFields(rule, document),
                Map.copyOf(attributes)));
    }

    /** Whether one of the rule's groupBy paths is {@code field}, alone or as its first alternative. */
    private static boolean groupsBy(RuleDefinition rule, String field) {
        return rule.groupBy().stream()
                .anyMatch(path -> FieldPaths.alternatives(path).get(0).equals(field));
    }
}
