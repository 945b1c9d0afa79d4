package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.schemas.avro.AuthEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rule document of an event some rules matched, cut down to what those rules read of it:
 * their {@code groupBy} and {@code distinct} paths and their summary's placeholders, each with
 * everything below it ({@link FieldPaths#valueAt} gives an object or array as its JSON). What
 * they read of it is what they read of the whole document ({@link RuleDocument#of}), which is
 * made and parsed whole no more: most events match some rule, and raw is the larger part of
 * them.
 */
final class HitDocuments {

    /** Sets of matched rules kept, each with its paths; beyond it, the whole document is made. */
    static final int MAX_SETS = 1024;

    private record Cut(PatternPaths paths, int[] positions) {}

    private final Map<String, RuleDefinition> rules = new HashMap<>();
    private final Map<List<String>, Cut> bySet = new ConcurrentHashMap<>();

    HitDocuments(List<RuleDefinition> rules) {
        rules.forEach(rule -> this.rules.put(rule.id(), rule));
    }

    /** The document of an event these rules (ids, as matched) matched, cut down to what they read. */
    ObjectNode of(List<String> matched, AuthEvent event) {
        Cut cut = bySet.get(matched);
        if (cut == null) {
            if (bySet.size() >= MAX_SETS) {
                return RuleDocument.of(event);
            }
            cut = bySet.computeIfAbsent(List.copyOf(matched), this::cutFor);
        }
        try {
            return RuleDocument.cutDown(event, cut.paths(), cut.positions());
        } catch (PatternPaths.UnusualNode e) {
            return RuleDocument.of(event);
        }
    }

    private Cut cutFor(List<String> matched) {
        List<String> read = new ArrayList<>();
        for (String id : matched) {
            RuleDefinition rule = rules.get(id);
            if (rule != null) {
                read.addAll(paths(rule));
            }
        }
        PatternPaths paths = PatternPaths.ofWholes(read);
        return new Cut(paths, RuleDocument.fieldPositions(paths::isBranch));
    }

    /** The field paths a rule reads of the document of an event it matched. */
    static List<String> paths(RuleDefinition rule) {
        List<String> paths = new ArrayList<>();
        rule.groupBy().forEach(path -> paths.addAll(FieldPaths.alternatives(path)));
        rule.distinct().ifPresent(path -> paths.addAll(FieldPaths.alternatives(path)));
        RuleSummaries.fieldPaths(rule).forEach(path -> paths.addAll(FieldPaths.alternatives(path)));
        return paths;
    }
}
