package io.authstream.streams.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Severity;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import software.amazon.event.ruler.JsonRuleCompiler;
import software.amazon.event.ruler.Machine;

/**
 * Reads a rule file (YAML, or JSON, which is YAML too: a list of rules under {@code rules:}) and
 * validates every rule in it. A file with any problem is refused whole, with a
 * {@link RuleFileException} listing all of them, each naming the file, the rule (its id, else its
 * number in the file) and what is wrong. The format is described in docs/rules-format.md.
 */
public final class RuleFileLoader {

    /** The built-in pack: rule files in the jar, under {@code rules/}. */
    public static final List<String> BUILT_IN = List.of(
            "rules/authstream-core.yml",
            "rules/auth0-tenant-tampering.yml",
            "rules/auth0-limits.yml",
            "rules/auth0-credential-attacks.yml",
            "rules/auth0-mfa.yml");

    static final Pattern ID = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    static final int MAX_ID_LENGTH = 64;
    static final Set<String> RESERVED_PLACEHOLDERS = Set.of("count", "threshold", "window", "ruleId");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Set<String> RULE_KEYS = new LinkedHashSet<>(List.of(
            "id",
            "title",
            "severity",
            "description",
            "eventTypes",
            "runbook",
            "match",
            "groupBy",
            "threshold",
            "window",
            "distinct",
            "incidentGap",
            "summary",
            "tests",
            "version",
            "enabled"));
    private static final Set<String> DISABLE_KEYS = Set.of("id", "version", "enabled");
    private static final Set<String> CASE_KEYS = Set.of("name", "events", "expect", "alerts");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RuleFileLoader() {}

    public static List<RuleDefinition> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(file.toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + file, e);
        }
    }

    /** The rules of the built-in pack, from the class path. */
    public static List<RuleDefinition> builtIn() {
        List<RuleDefinition> rules = new ArrayList<>();
        for (String resource : BUILT_IN) {
            try (InputStream in = RuleFileLoader.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("built-in rule file " + resource + " is not on the class path");
                }
                rules.addAll(load(resource, in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read built-in rule file " + resource, e);
            }
        }
        return List.copyOf(rules);
    }

    /**
     * @param file the name problems are reported under
     * @throws RuleFileException naming every problem of the file
     */
    public static List<RuleDefinition> load(String file, InputStream in) {
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (IOException e) {
            throw new RuleFileException(
                    file, List.of(file + ": not valid YAML: " + e.getMessage().replace('\n', ' ')));
        }
        List<String> problems = new ArrayList<>();
        if (root == null || !root.isObject() || !root.path("rules").isArray()) {
            throw new RuleFileException(file, List.of(file + ": needs a list of rules under \"rules:\""));
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!name.equals("rules")) {
                problems.add(file + ": unknown top-level key \"" + name + "\" (a rule file holds only rules:)");
            }
        });
        JsonNode list = root.get("rules");
        if (list.isEmpty()) {
            problems.add(file + ": rules: is empty");
        }
        List<RuleDefinition> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String label = label(file, i, node);
            List<String> ruleProblems = new ArrayList<>();
            RuleDefinition rule = rule(file, node, ruleProblems);
            String id = node.path("id").asText("");
            if (!id.isBlank() && !ids.add(id)) {
                ruleProblems.add("id \"" + id + "\" is used by an earlier rule of this file");
            }
            ruleProblems.forEach(p -> problems.add(label + ": " + p));
            if (ruleProblems.isEmpty() && rule != null) {
                rules.add(rule);
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleFileException(file, problems);
        }
        return List.copyOf(rules);
    }

    /**
     * One rule as published on auth.rules: a rule mapping, or a rule file holding exactly one
     * rule; its id must be {@code key}.
     *
     * @throws RuleFileException naming every problem
     */
    public static RuleDefinition loadOne(String source, String key, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new RuleFileException(
                    source,
                    List.of(source + ": not valid YAML: " + e.getMessage().replace('\n', ' ')));
        }
        if (root != null && root.isObject() && !root.has("rules")) {
            root = YAML.createObjectNode().set("rules", YAML.createArrayNode().add(root));
        }
        List<RuleDefinition> rules;
        try {
            rules = load(source, new ByteArrayInputStream(YAML.writeValueAsBytes(root)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (rules.size() != 1) {
            throw new RuleFileException(
                    source, List.of(source + ": holds " + rules.size() + " rules; a published record holds one"));
        }
        if (!rules.get(0).id().equals(key)) {
            throw new RuleFileException(
                    source,
                    List.of(source + ": the record's key \"" + key + "\" is not its rule's id \""
                            + rules.get(0).id() + "\""));
        }
        return rules.get(0);
    }

    /** Every rule file (*.yml, *.yaml, *.json) of a directory, in name order. */
    public static List<RuleDefinition> loadDirectory(Path directory) {
        List<Path> files;
        try (Stream<Path> paths = Files.list(directory)) {
            files = paths.filter(p -> {
                        String name = p.getFileName().toString();
                        return Files.isRegularFile(p)
                                && (name.endsWith(".yml") || name.endsWith(".yaml") || name.endsWith(".json"));
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list rule directory " + directory, e);
        }
        List<RuleDefinition> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Path file : files) {
            try {
                for (RuleDefinition rule : load(file)) {
                    if (!ids.add(rule.id())) {
                        problems.add(file + ": rule '" + rule.id() + "': id is used by another file of " + directory);
                    }
                    rules.add(rule);
                }
            } catch (RuleFileException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleFileException(directory.toString(), problems);
        }
        return List.copyOf(rules);
    }

    private static String label(String file, int index, JsonNode node) {
        JsonNode id = node.path("id");
        return id.isTextual() && !id.asText().isBlank()
                ? file + ": rule '" + id.asText() + "'"
                : file + ": rule #" + (index + 1) + " (no id)";
    }

    private static RuleDefinition rule(String file, JsonNode node, List<String> problems) {
        if (!node.isObject()) {
            problems.add("a rule must be a mapping of " + RULE_KEYS + ", got " + node.getNodeType());
            return null;
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!RULE_KEYS.contains(name)) {
                problems.add("unknown key \"" + name + "\" (a rule has " + String.join(", ", RULE_KEYS) + ")");
            }
        });
        String id = text(node, "id", problems);
        if (id != null && (!ID.matcher(id).matches() || id.length() > MAX_ID_LENGTH)) {
            problems.add(
                    "id \"" + id + "\" must be kebab-case (lower-case letters and digits, words joined by -), at most "
                            + MAX_ID_LENGTH + " characters");
        }
        int version = 1;
        if (node.has("version")) {
            JsonNode value = node.get("version");
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
                problems.add("version must be a whole number of at least 1, got " + value);
            } else {
                version = value.asInt();
            }
        }
        boolean enabled = true;
        if (node.has("enabled")) {
            JsonNode value = node.get("enabled");
            if (!value.isBoolean()) {
                problems.add("enabled must be true or false, got " + value);
            } else {
                enabled = value.asBoolean();
            }
        }
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        if (!enabled && DISABLE_KEYS.containsAll(keys)) {
            return problems.isEmpty() ? RuleDefinition.disabled(id, version, file) : null;
        }
        String title = text(node, "title", problems);
        String description = text(node, "description", problems);
        String runbook = text(node, "runbook", problems);
        if (runbook != null && runbook.strip().contains("\n")) {
            problems.add("runbook must be one line");
        }
        Severity severity = severity(node, problems);
        List<String> eventTypes = strings(node, "eventTypes", true, problems);
        String match = match(id, node.get("match"), problems);

        List<String> groupBy = strings(node, "groupBy", false, problems);
        Set<String> seen = new HashSet<>();
        for (String path : groupBy) {
            FieldPaths.problem(path).ifPresent(p -> problems.add("groupBy: " + p));
            if (!seen.add(path)) {
                problems.add("groupBy lists \"" + path + "\" twice");
            }
        }
        int threshold = 1;
        if (node.has("threshold")) {
            JsonNode value = node.get("threshold");
            if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
                problems.add("threshold must be a whole number of at least 1, got " + value);
            } else {
                threshold = value.asInt();
            }
        }
        Optional<Duration> window = duration(node, "window", problems);
        if (window.isPresent() && window.get().isZero()) {
            problems.add("window must be longer than zero");
        }
        if (threshold > 1 && window.isEmpty() && node.path("window").isMissingNode()) {
            problems.add("threshold " + threshold + " needs a window (e.g. window: 10m)");
        }
        Optional<String> distinct = Optional.empty();
        if (node.has("distinct")) {
            JsonNode value = node.get("distinct");
            if (!value.isTextual() || value.asText().isBlank()) {
                problems.add("distinct must be a field path, e.g. distinct: userId");
            } else {
                distinct = Optional.of(value.asText());
                FieldPaths.problem(value.asText()).ifPresent(p -> problems.add("distinct: " + p));
                if (threshold < 2) {
                    problems.add("distinct needs a threshold of at least 2 (one distinct value is one event)");
                }
            }
        }
        Optional<Duration> gap = duration(node, "incidentGap", problems);
        Duration incidentGap = gap.orElse(window.orElse(Duration.ZERO));

        String summary = text(node, "summary", problems);
        if (summary != null) {
            Matcher placeholders = PLACEHOLDER.matcher(summary);
            while (placeholders.find()) {
                String path = placeholders.group(1).strip();
                if (!RESERVED_PLACEHOLDERS.contains(path)) {
                    FieldPaths.problem(path)
                            .ifPresent(p -> problems.add("summary placeholder {" + placeholders.group(1) + "}: " + p
                                    + " (or one of " + RESERVED_PLACEHOLDERS + ")"));
                }
            }
            String rest = PLACEHOLDER.matcher(summary).replaceAll("");
            if (rest.contains("{") || rest.contains("}")) {
                problems.add("summary has an unbalanced { or }");
            }
        }
        List<RuleTestCase> tests = tests(node.get("tests"), problems);
        if (!problems.isEmpty()) {
            return null;
        }
        return new RuleDefinition(
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
                file,
                version,
                enabled);
    }

    private static String text(JsonNode node, String key, List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            problems.add("missing " + key);
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            problems.add(key + " must be non-empty text, got " + value);
            return null;
        }
        return value.asText();
    }

    private static Severity severity(JsonNode node, List<String> problems) {
        JsonNode value = node.get("severity");
        if (value == null || value.isNull()) {
            problems.add("missing severity (one of " + Arrays.toString(Severity.values()) + ")");
            return null;
        }
        for (Severity severity : Severity.values()) {
            if (severity.name().equals(value.asText())) {
                return severity;
            }
        }
        problems.add("severity must be one of " + Arrays.toString(Severity.values()) + ", got " + value);
        return null;
    }

    private static List<String> strings(JsonNode node, String key, boolean required, List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add("missing " + key + " (a list)");
            }
            return List.of();
        }
        if (!value.isArray() || (required && value.isEmpty())) {
            problems.add(key + " must be a" + (required ? " non-empty" : "") + " list of text, got " + value);
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isBlank()) {
                problems.add(key + " has an empty or non-text item " + item);
            } else {
                result.add(item.asText());
            }
        }
        return result;
    }

    private static Optional<Duration> duration(JsonNode node, String key, List<String> problems) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            problems.add(key + " must be a duration such as 10m or PT10M, got " + value);
            return Optional.empty();
        }
        try {
            Duration duration = RuleDurations.parse(value.asText());
            if (duration.isNegative()) {
                problems.add(key + " may not be negative");
                return Optional.empty();
            }
            return Optional.of(duration);
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The pattern as JSON text, when it is an object event-ruler compiles and its fields are plausible. */
    private static String match(String id, JsonNode match, List<String> problems) {
        if (match == null || match.isNull()) {
            problems.add("missing match (an EventBridge event pattern)");
            return null;
        }
        if (!match.isObject() || match.isEmpty()) {
            problems.add("match must be a non-empty EventBridge event pattern (a mapping), got " + match);
            return null;
        }
        String json = match.toString();
        String error = JsonRuleCompiler.check(json);
        if (error != null) {
            problems.add("match is not a valid event pattern: " + oneLine(error));
            return null;
        }
        try {
            Machine.builder().build().addRule(id == null ? "rule" : id, json);
        } catch (IOException | RuntimeException e) {
            problems.add("match is not a valid event pattern: " + oneLine(e.getMessage()));
            return null;
        }
        try {
            PatternAlternatives.of(json);
        } catch (IllegalArgumentException e) {
            problems.add("match: " + e.getMessage());
            return null;
        }
        List<String> leaves = new ArrayList<>();
        leafPaths(match, "", leaves);
        for (String path : leaves) {
            FieldPaths.problem(path).ifPresent(p -> problems.add("match: " + p));
        }
        return json;
    }

    private static String oneLine(String message) {
        return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ");
    }

    /** The field paths a pattern tests ({@code $or} branches included). */
    static void leafPaths(JsonNode pattern, String prefix, List<String> out) {
        pattern.properties().forEach(entry -> {
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            if (key.equals("$or") && value.isArray()) {
                for (JsonNode branch : value) {
                    if (branch.isObject()) {
                        leafPaths(branch, prefix, out);
                    }
                }
            } else if (value.isObject()) {
                leafPaths(value, prefix + key + ".", out);
            } else {
                out.add(prefix + key);
            }
        });
    }

    private static List<RuleTestCase> tests(JsonNode tests, List<String> problems) {
        if (tests == null || tests.isNull()) {
            return List.of();
        }
        if (!tests.isArray()) {
            problems.add("tests must be a list of cases");
            return List.of();
        }
        List<RuleTestCase> cases = new ArrayList<>();
        for (int i = 0; i < tests.size(); i++) {
            JsonNode node = tests.get(i);
            String name = node.path("name").isTextual() ? node.get("name").asText() : "case " + (i + 1);
            String label = "test case " + (i + 1) + " (" + name + ")";
            if (!node.isObject()) {
                problems.add(label + ": must be a mapping of name, events, expect, alerts");
                continue;
            }
            node.fieldNames().forEachRemaining(key -> {
                if (!CASE_KEYS.contains(key)) {
                    problems.add(label + ": unknown key \"" + key + "\" (a case has " + CASE_KEYS + ")");
                }
            });
            String expect = node.path("expect").asText("");
            if (!expect.equals("alert") && !expect.equals("none")) {
                problems.add(label + ": expect must be alert or none, got " + node.path("expect"));
            }
            OptionalInt alerts = OptionalInt.empty();
            if (node.has("alerts")) {
                JsonNode value = node.get("alerts");
                if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() < 1) {
                    problems.add(label + ": alerts must be a whole number of at least 1, got " + value);
                } else if (expect.equals("none")) {
                    problems.add(label + ": alerts is for expect: alert (expect: none means no alert)");
                } else {
                    alerts = OptionalInt.of(value.asInt());
                }
            }
            List<AuthEvent> events = RuleTestEvents.convert(node.get("events"), label, problems);
            cases.add(new RuleTestCase(name, events, expect.equals("alert"), alerts));
        }
        return cases;
    }
}
