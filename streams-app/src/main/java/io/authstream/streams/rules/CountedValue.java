package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.avro.AuthEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one matching event counts for under a rule: its subject (the {@code groupBy} values joined
 * with {@code |}) and the value counted (the {@code distinct} field's, else the event id). Empty
 * when the event lacks one of them: it is not counted. The reference evaluation and the topology
 * both take it from here, so they cannot disagree on it.
 */
public record CountedValue(String subject, String value) {

    public static Optional<CountedValue> of(RuleDefinition rule, AuthEvent event, JsonNode document) {
        List<String> keys = new ArrayList<>(rule.groupBy().size());
        for (String path : rule.groupBy()) {
            Optional<String> key = FieldPaths.valueAt(document, path);
            if (key.isEmpty()) {
                return Optional.empty();
            }
            keys.add(key.get());
        }
        String value = event.getEventId();
        if (rule.distinct().isPresent()) {
            Optional<String> distinct =
                    FieldPaths.valueAt(document, rule.distinct().get());
            if (distinct.isEmpty()) {
                return Optional.empty();
            }
            value = distinct.get();
        }
        return Optional.of(new CountedValue(String.join("|", keys), value));
    }
}
