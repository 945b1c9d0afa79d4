package io.authstream.streams.http;

import io.authstream.streams.rules.RuleBook;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleDurations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /rules}: every rule id this instance knows, whether it runs, its version
 * and where it came from (built-in, RULES_DIR, auth.rules), and the auth.rules records it refused
 * with the reason.
 */
final class RulesListing {

    private RulesListing() {}

    static Map<String, Object> of(RuleBook book) {
        RuleBook.Snapshot running = book.current();
        List<Map<String, Object>> rules = new ArrayList<>();
        book.entries().forEach((id, entry) -> {
            RuleDefinition rule = entry.rule();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", id);
            row.put("running", running.rule(id).isPresent());
            row.put("version", rule.version());
            row.put("origin", entry.origin().name());
            row.put("source", rule.source());
            if (rule.enabled()) {
                row.put("title", rule.title());
                row.put("severity", rule.severity().name());
                row.put("threshold", rule.threshold());
                rule.window().ifPresent(w -> row.put("window", RuleDurations.format(w)));
                row.put("groupBy", rule.groupBy());
                rule.distinct().ifPresent(d -> row.put("distinct", d));
            } else {
                row.put("disabled", true);
            }
            if (book.switchedOff().contains(id)) {
                row.put("switchedOffBy", "RULES_DISABLED");
            }
            rules.add(row);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("running", running.rules().size());
        body.put("rules", rules);
        body.put("refused", book.refused());
        return body;
    }
}
