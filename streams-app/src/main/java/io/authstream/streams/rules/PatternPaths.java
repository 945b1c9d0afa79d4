package io.authstream.streams.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The field paths some {@code match} patterns name, and a rule document cut down to them: what
 * event-ruler is given. event-ruler tries every later field of an event from every state a
 * partial match reaches, so fields no pattern names cost it on every event; cut away, they
 * change nothing (see {@link #prune}).
 *
 * <p>A document is cut down either from a tree ({@link #prune}) or while it is read from JSON
 * text ({@link #read}, with a {@link PrunedJsonReader}), which then skips what is cut without
 * building it; both give the same tree, the one {@code prune} makes of the text's parse.
 */
final class PatternPaths {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The fields {@link RuleDocument#prunedRaw} reads to see which wrapper to take off. */
    private static final List<String> WRAPPER_FIELDS =
            List.of("detail-type", "specversion", "data.type", "detail.specversion", "detail.data.type");
    /** Where the Auth0 record can sit in raw: the wrappers {@link RuleDocument#unwrap} takes off. */
    private static final List<String> RECORD_PLACES = List.of("", "data.", "detail.", "detail.data.");

    /** Every field path a pattern names (event-ruler's keys, dot-joined), or more: only a superset is needed. */
    private final Set<String> leaves = new HashSet<>();
    /** {@link #leaves} and each of their dot-separated beginnings: the objects and arrays to look into. */
    private final Set<String> branches = new HashSet<>();
    /** The leaves below which everything is kept ({@link #ofWholes}). */
    private final Set<String> wholes = new HashSet<>();
    /** {@link #branches} as a tree walked key by key (see {@link Node}); made once all paths are in. */
    private Node root;
    /** The paths under {@code raw}, at every place the record can sit in raw's text (see {@link #rawText}). */
    private PatternPaths rawText;

    private PatternPaths() {}

    /**
     * The field names event-ruler's compiled patterns hold ({@link PatternAlternatives}): what it
     * looks an event's fields up by, so a field by another name cannot change what it matches.
     */
    static PatternPaths ofNames(Collection<String> names) {
        return ofLeaves(List.copyOf(new HashSet<>(names)), true);
    }

    /** The paths given, taken as they are (no pattern reading). */
    static PatternPaths ofLeaves(String... paths) {
        return ofLeaves(List.of(paths), true);
    }

    /**
     * The paths given, each with everything below it: what {@link FieldPaths#valueAt} reads of
     * a document for them (an object or array at a path is its value, as JSON).
     */
    static PatternPaths ofWholes(Collection<String> paths) {
        PatternPaths named = new PatternPaths();
        for (String path : new HashSet<>(paths)) {
            named.addLeaf(path);
            named.wholes.add(path);
        }
        return named.complete(true);
    }

    private static PatternPaths ofLeaves(List<String> paths, boolean withRawText) {
        PatternPaths named = new PatternPaths();
        paths.forEach(named::addLeaf);
        return named.complete(withRawText);
    }

    private PatternPaths complete(boolean withRawText) {
        root = Node.tree(branches, leaves, wholes);
        if (withRawText) {
            rawText = new PatternPaths();
            WRAPPER_FIELDS.forEach(rawText::addLeaf);
            String under = RuleDocument.RAW + '.';
            for (String leaf : leaves) {
                if (leaf.startsWith(under)) {
                    String inRecord = leaf.substring(under.length());
                    for (String place : RECORD_PLACES) {
                        rawText.addLeaf(place + inRecord);
                        if (wholes.contains(leaf)) {
                            rawText.wholes.add(place + inRecord);
                        }
                    }
                }
            }
            rawText.complete(false);
        }
        return this;
    }

    /**
     * The paths to read raw's whole text with, from its top (no prefix), so that it is read once
     * whichever wrapper it has: this set's {@code raw.*} paths at each place the Auth0 record can
     * sit (the text itself, {@code data}, {@code detail}, {@code detail.data}) and the fields that
     * tell which wrapper it is. What it reads is a superset of what this set keeps of the record,
     * so the record cut down again by this set is the record cut down from the parse.
     */
    PatternPaths rawText() {
        return rawText;
    }

    /** Whether a field at this path, or below it, can be named by a pattern. */
    boolean isBranch(String path) {
        return root.child(path) != null;
    }

    private void addLeaf(String path) {
        leaves.add(path);
        branches.add(path);
        for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
            branches.add(path.substring(0, dot));
        }
    }

    /**
     * The document with only the fields event-ruler could use: a value whose path is a pattern's
     * field, and the objects and arrays on the way to one. event-ruler makes one field of each
     * value (named by its path, arrays adding no name), so the fields it gets are the document's
     * fields with those names, in the same order and with the same array memberships: array
     * elements keep their positions (an element without such fields becomes an empty object,
     * which makes no field), so fields from one element still come from one element. Fields with
     * other names never move a match on, nor tell an {@code exists: false} that a field is there
     * (event-ruler looks both up by name).
     *
     * <p>Values are those event-ruler would have read back from the document's JSON text:
     * Jackson writes a NaN or infinite number as a string, so they become strings here too.
     *
     * @param prefix the path of {@code document}, null at the top
     * @throws UnusualNode on a node Jackson writes as something else (binary, POJO, missing)
     */
    ObjectNode prune(JsonNode document, String prefix) {
        Node node = root.at(prefix);
        return node == null ? NODES.objectNode() : prune(document, node);
    }

    ArrayNode pruneArray(JsonNode array, String path) {
        Node node = root.at(path);
        return node == null ? pruneArray(array, Node.NONE) : pruneArray(array, node);
    }

    private ObjectNode prune(JsonNode document, Node node) {
        ObjectNode kept = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : document.properties()) {
            Node child = node.child(field.getKey());
            if (child == null) {
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isObject()) {
                kept.set(field.getKey(), prune(value, child));
            } else if (value.isArray()) {
                kept.set(field.getKey(), pruneArray(value, child));
            } else if (child.leaf) {
                kept.set(field.getKey(), leaf(value));
            }
        }
        return kept;
    }

    private ArrayNode pruneArray(JsonNode array, Node node) {
        ArrayNode kept = NODES.arrayNode(array.size());
        for (JsonNode element : array) {
            if (element.isObject()) {
                kept.add(prune(element, node));
            } else if (element.isArray()) {
                kept.add(pruneArray(element, node));
            } else if (node.leaf) {
                kept.add(leaf(element));
            } else {
                kept.add(NODES.objectNode());
            }
        }
        return kept;
    }

    private static JsonNode leaf(JsonNode value) {
        switch (value.getNodeType()) {
            case STRING, BOOLEAN, NULL:
                return value;
            case NUMBER:
                if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
                    return NODES.textNode(value.asText());
                }
                return value;
            default:
                throw new UnusualNode();
        }
    }

    /**
     * {@link #prune} of the object or array the reader stands at ({@code first}, its opening
     * bracket), as Jackson would parse it, read from the text: what is cut away is skipped, not
     * built.
     *
     * @param path the value's path
     */
    JsonNode read(PrunedJsonReader reader, String path, int first) throws PrunedJsonReader.Malformed {
        Node node = root.at(path);
        if (node == null) {
            node = Node.NONE;
        }
        return first == '[' ? reader.readArray(node) : reader.readObject(node);
    }

    /**
     * A path of {@link #branches} and the keys that lead on from it: the child at key {@code k}
     * is the node of the path, a dot and {@code k} (of {@code k} alone at the top), as event-ruler
     * names an event's fields. A key may hold dots, so a child can be several segments further
     * down; looking keys up here is looking up the joined text in {@code branches} (and
     * {@code leaves}) without making it.
     */
    private static final class Node implements PrunedJsonReader.Branch {

        /** What a path that is no branch leads to: nothing. */
        static final Node NONE = new Node(false, false);
        /** What lies below a whole path ({@link #ofWholes}): everything. */
        static final Node WHOLE = new Node(true, true);

        final boolean leaf;
        /** Everything below is kept: every key leads to {@link #WHOLE}. */
        private final boolean whole;

        private final Map<String, Node> children = new HashMap<>();
        /** Every node by its path, in the tree's root only. */
        private final Map<String, Node> byPath = new HashMap<>();
        /**
         * {@link #children} again as an open-addressed table (slot: the key's String hash), so a
         * key still in the JSON text is looked up without being copied out of it.
         */
        private String[] keys = new String[1];

        private Node[] nodes = new Node[1];

        private Node(boolean leaf, boolean whole) {
            this.leaf = leaf;
            this.whole = whole;
        }

        static Node tree(Set<String> branches, Set<String> leaves, Set<String> wholes) {
            Node root = new Node(false, false);
            for (String path : branches) {
                root.byPath.put(path, new Node(leaves.contains(path), wholes.contains(path)));
            }
            root.byPath.forEach((path, node) -> {
                root.children.put(path, node); // at the top, a field's name is its key
                String beginning = path + '.';
                root.byPath.forEach((longer, below) -> {
                    if (longer.startsWith(beginning)) {
                        node.children.put(longer.substring(beginning.length()), below);
                    }
                });
            });
            root.index();
            root.byPath.values().forEach(Node::index);
            return root;
        }

        private void index() {
            int slots = Integer.highestOneBit(Math.max(1, children.size()) * 4);
            keys = new String[slots];
            nodes = new Node[slots];
            children.forEach((key, node) -> {
                int slot = key.hashCode() & (slots - 1);
                while (keys[slot] != null) {
                    slot = (slot + 1) & (slots - 1);
                }
                keys[slot] = key;
                nodes[slot] = node;
            });
        }

        @Override
        public Node child(String text, int from, int to) {
            if (whole) {
                return WHOLE;
            }
            int hash = 0;
            for (int i = from; i < to; i++) {
                hash = 31 * hash + text.charAt(i); // String.hashCode of the key
            }
            int mask = keys.length - 1;
            int length = to - from;
            for (int slot = hash & mask; keys[slot] != null; slot = (slot + 1) & mask) {
                String key = keys[slot];
                if (key.length() == length && text.regionMatches(from, key, 0, length)) {
                    return nodes[slot];
                }
            }
            return null;
        }

        @Override
        public Node child(String key) {
            return whole ? WHOLE : children.get(key);
        }

        @Override
        public boolean leaf() {
            return leaf;
        }

        /** The node of a path (this being the root), the root itself for null; null when the path is no branch. */
        Node at(String path) {
            return path == null ? this : byPath.get(path);
        }
    }

    /** A node whose JSON text is not its value: such a document is matched as text. */
    static final class UnusualNode extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnusualNode() {
            super(null, null, false, false);
        }
    }
}
