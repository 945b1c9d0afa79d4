package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a rule's summary template: {@code {field.path}} from the event's rule document
 * ({@code ?} when missing), {@code {threshold}}, {@code {window}}, {@code {ruleId}} from the rule,
 * and {@code {count}} once the alert is known. The topology fills the fields where the event is
 * matched and the count where it is counted, so the template is split in two steps.
 */
public final class RuleSummaries {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    /** The placeholders filled from the rule or the alert, not from the event. */
    private static final Set<String> RULE_NAMES = Set.of("count", "threshold", "window", "ruleId");

    /** Stands for {@code {count}} between the two steps; removed from field values so they cannot fake it. */
    private static final String COUNT_MARK = "\u0000";

    private RuleSummaries() {}

    /** The field paths the summary's placeholders read of the rule document ({@code {count}} and the like read none). */
    public static List<String> fieldPaths(RuleDefinition rule) {
        List<String> paths = new ArrayList<>();
        Matcher placeholders = PLACEHOLDER.matcher(rule.summary());
        while (placeholders.find()) {
            String name = placeholders.group(1).strip();
            if (!RULE_NAMES.contains(name)) {
                paths.add(name);
            }
        }
        return paths;
    }

    /** The whole summary of an alert counting {@code count}. */
    public static String render(RuleDefinition rule, JsonNode document, int count) {
        return withCount(renderFields(rule, document), count);
    }

    /** Every placeholder but {@code {count}} filled. */
    public static String renderFields(RuleDefinition rule, JsonNode document) {
        Matcher placeholders = PLACEHOLDER.matcher(rule.summary());
        StringBuilder out = new StringBuilder();
        while (placeholders.find()) {
            String name = placeholders.group(1).strip();
            String value = switch (name) {
                case "count" -> COUNT_MARK;
                case "threshold" -> Integer.toString(rule.threshold());
                case "window" -> rule.window().map(RuleDurations::format).orElse("-");
                case "ruleId" -> rule.id();
                default -> FieldPaths.valueAt(document, name).orElse("?").replace(COUNT_MARK, "");
            };
            placeholders.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        placeholders.appendTail(out);
        return out.toString();
    }

    /** A summary from {@link #renderFields} with its count. */
    public static String withCount(String rendered, int count) {
        return rendered.replace(COUNT_MARK, Integer.toString(count));
    }
}
