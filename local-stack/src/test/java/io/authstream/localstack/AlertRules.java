package io.authstream.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the rules of deploy/prometheus/alerts.yml read: for each rule, the series selectors of its
 * expression (metric name and label matchers) and the labels it groups them by. A small PromQL
 * reader, enough for the expressions there: functions and aggregations are words followed by
 * {@code (}, {@code by (...)} / {@code on (...)} and the like hold label names, {@code {...}}
 * matchers, {@code [...]} durations; every other word is a metric name.
 */
final class AlertRules {

    /** {@code name{label op "value", ...}} as written in a rule, with the labels of an enclosing {@code by (...)}. */
    record Selector(String rule, String metric, List<Matcher> matchers, Set<String> groupedBy) {}

    record Matcher(String label, String op, String value) {}

    private static final Set<String> KEYWORDS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless");
    private static final Set<String> LABEL_LISTS =
            Set.of("by", "without", "on", "ignoring", "group_left", "group_right");

    final Map<String, String> expressions = new LinkedHashMap<>();
    final Set<String> recorded = new LinkedHashSet<>();

    private AlertRules() {}

    static AlertRules read(Path file) throws IOException {
        AlertRules rules = new AlertRules();
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        for (JsonNode group : root.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("record")) {
                    rules.recorded.add(rule.get("record").asText());
                    rules.expressions.put(
                            "record " + rule.get("record").asText(),
                            rule.get("expr").asText());
                } else {
                    rules.expressions.put(
                            rule.get("alert").asText(), rule.get("expr").asText());
                }
            }
        }
        return rules;
    }

    /** Every selector of every rule. */
    List<Selector> selectors() {
        List<Selector> all = new ArrayList<>();
        expressions.forEach((rule, expr) -> all.addAll(new Reader(rule, tokens(expr)).selectors()));
        return all;
    }

    /** Words, strings (quotes kept off), numbers and durations, and single punctuation characters ({@code =~} as one). */
    static List<String> tokens(String expr) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (expr.charAt(j) != c) {
                    if (expr.charAt(j) == '\\') {
                        j++;
                    }
                    text.append(expr.charAt(j));
                    j++;
                }
                tokens.add("\"" + text);
                i = j + 1;
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int j = i;
                while (j < expr.length()
                        && (Character.isLetterOrDigit(expr.charAt(j))
                                || expr.charAt(j) == '_'
                                || expr.charAt(j) == ':')) {
                    j++;
                }
                tokens.add(expr.substring(i, j));
                i = j;
            } else if (Character.isDigit(c) || c == '.') {
                int j = i;
                while (j < expr.length() && (Character.isLetterOrDigit(expr.charAt(j)) || expr.charAt(j) == '.')) {
                    j++;
                }
                tokens.add("#" + expr.substring(i, j));
                i = j;
            } else if ((c == '=' || c == '!') && i + 1 < expr.length() && "=~".indexOf(expr.charAt(i + 1)) >= 0) {
                tokens.add(expr.substring(i, i + 2));
                i += 2;
            } else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
        return tokens;
    }

    private static final class Reader {
        private final String rule;
        private final List<String> tokens;
        private final List<Selector> selectors = new ArrayList<>();
        private int at;

        Reader(String rule, List<String> tokens) {
            this.rule = rule;
            this.tokens = tokens;
        }

        List<Selector> selectors() {
            read(tokens.size(), Set.of());
            return selectors;
        }

        /** Reads tokens up to {@code end} (exclusive), {@code grouped} the labels of the enclosing aggregations. */
        private void read(int end, Set<String> grouped) {
            while (at < end) {
                String token = tokens.get(at);
                String next = at + 1 < tokens.size() ? tokens.get(at + 1) : "";
                if (LABEL_LISTS.contains(token) && next.equals("(")) {
                    // An aggregation's labels come before its argument (sum by (a, b) (x)): they apply to it.
                    at += 2;
                    Set<String> labels = new LinkedHashSet<>(grouped);
                    while (!tokens.get(at).equals(")")) {
                        if (!tokens.get(at).equals(",")) {
                            labels.add(tokens.get(at));
                        }
                        at++;
                    }
                    at++;
                    if (!token.equals("by") || !tokens.get(at).equals("(")) {
                        continue;
                    }
                    int close = closing(at);
                    at++;
                    read(close, labels);
                    at = close + 1;
                } else if (KEYWORDS.contains(token) || token.startsWith("\"") || token.startsWith("#")) {
                    at++;
                } else if (token.equals("[")) {
                    while (!tokens.get(at).equals("]")) {
                        at++;
                    }
                    at++;
                } else if (Character.isLetter(token.charAt(0)) || token.charAt(0) == '_' || token.charAt(0) == ':') {
                    if (next.equals("(") || next.equals("by") || next.equals("without")) {
                        at++; // a function, or an aggregation (its labels are read next)
                        continue;
                    }
                    at++;
                    List<Matcher> matchers = new ArrayList<>();
                    if (at < end && tokens.get(at).equals("{")) {
                        at++;
                        while (!tokens.get(at).equals("}")) {
                            if (tokens.get(at).equals(",")) {
                                at++;
                                continue;
                            }
                            matchers.add(new Matcher(
                                    tokens.get(at),
                                    tokens.get(at + 1),
                                    tokens.get(at + 2).substring(1)));
                            at += 3;
                        }
                        at++;
                    }
                    selectors.add(new Selector(rule, token, matchers, grouped));
                } else {
                    at++;
                }
            }
        }

        private int closing(int open) {
            int depth = 0;
            for (int i = open; i < tokens.size(); i++) {
                if (tokens.get(i).equals("(")) {
                    depth++;
                } else if (tokens.get(i).equals(")") && --depth == 0) {
                    return i;
                }
            }
            throw new IllegalArgumentException("unbalanced parentheses in " + rule);
        }
    }
}
