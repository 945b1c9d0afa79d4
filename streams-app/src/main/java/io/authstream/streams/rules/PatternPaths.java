package io.authstream.streams.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
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
 * text ({@link #read}), which then skips what is cut without building it; both give the same
 * tree, the one {@code prune} makes of the text's parse.
 */
final class PatternPaths {

    private static final ObjectMapper JSON = new ObjectMapper();
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
    /** False when a pattern was not read (documents are then matched whole, as JSON text). */
    private boolean readable = true;
    /** {@link #branches} as a tree walked key by key (see {@link Node}); made once all paths are in. */
    private Node root;
    /** The paths under {@code raw}, at every place the record can sit in raw's text (see {@link #rawText}). */
    private PatternPaths rawText;

    private PatternPaths() {}

    static PatternPaths of(List<String> matches) {
        PatternPaths paths = new PatternPaths();
        matches.forEach(paths::addPaths);
        return paths.complete(true);
    }

    /** The paths given, taken as they are (no pattern reading). */
    static PatternPaths ofLeaves(String... paths) {
        return ofLeaves(List.of(paths), true);
    }

    private static PatternPaths ofLeaves(List<String> paths, boolean withRawText) {
        PatternPaths named = new PatternPaths();
        paths.forEach(named::addLeaf);
        return named.complete(withRawText);
    }

    private PatternPaths complete(boolean withRawText) {
        root = Node.tree(branches, leaves);
        if (withRawText) {
            List<String> inText = new ArrayList<>(WRAPPER_FIELDS);
            String under = RuleDocument.RAW + '.';
            for (String leaf : leaves) {
                if (leaf.startsWith(under)) {
                    String inRecord = leaf.substring(under.length());
                    RECORD_PLACES.forEach(place -> inText.add(place + inRecord));
                }
            }
            rawText = ofLeaves(inText, false);
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

    /** False when some pattern could not be read: no document may then be cut down. */
    boolean readable() {
        return readable;
    }

    /** Whether a field at this path, or below it, can be named by a pattern. */
    boolean isBranch(String path) {
        return root.child(path) != null;
    }

    /**
     * Adds the field paths a pattern names: each key holding a list is a field event-ruler
     * matches; {@code $or} branches name fields at the level of the {@code $or}. Names are made
     * as event-ruler's rule compiler makes them: the keys above joined with dots, then the
     * field's key after a dot unless what is above joins to the empty text (a top-level key
     * {@code ""}); for an event, event-ruler joins every key with a dot. Reading more paths than
     * event-ruler keys is harmless (a field is kept that no state has a transition on), fewer is
     * not, so both joins are read, whatever is unusual is read both ways, and a pattern that
     * cannot be read turns cutting off.
     */
    private void addPaths(String match) {
        JsonNode pattern;
        try {
            pattern = JSON.readTree(match);
        } catch (IOException e) {
            readable = false;
            return;
        }
        if (pattern == null || !pattern.isObject()) {
            readable = false;
            return;
        }
        addPaths(pattern, null);
    }

    /** @param above the keys above joined with dots, null at the top */
    private void addPaths(JsonNode pattern, String above) {
        for (Map.Entry<String, JsonNode> field : pattern.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            String nested = join(above, key);
            if (value.isObject()) {
                addPaths(value, nested);
            } else {
                addLeaf(above == null || above.isEmpty() ? key : above + '.' + key);
                addLeaf(nested);
                if (value.isArray()) {
                    for (JsonNode element : value) {
                        if (element.isObject()) {
                            // a $or branch (at the $or's level); for any other key, over-reading is harmless
                            addPaths(element, key.equals("$or") ? above : nested);
                        }
                    }
                }
            }
        }
    }

    private void addLeaf(String path) {
        leaves.add(path);
        branches.add(path);
        for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
            branches.add(path.substring(0, dot));
        }
    }

    /** A name as event-ruler makes it for an event's field: the keys from the top joined with dots. */
    static String join(String prefix, String key) {
        return prefix == null ? key : prefix + '.' + key;
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
     * {@link #prune} of the object or array the parser stands at (its start token), as Jackson
     * would parse it, read from the text: what is cut away is skipped, not built. The parser is
     * left at the value's end token.
     *
     * @param path the value's path
     */
    JsonNode read(JsonParser parser, String path) throws IOException {
        Node node = root.at(path);
        if (node == null) {
            node = Node.NONE;
        }
        return parser.currentToken() == JsonToken.START_ARRAY ? readArray(parser, node) : readObject(parser, node);
    }

    private ObjectNode readObject(JsonParser parser, Node node) throws IOException {
        ObjectNode kept = NODES.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            Node child = node.child(key);
            JsonToken token = parser.nextToken();
            JsonNode value = null;
            if (token == JsonToken.START_OBJECT) {
                value = child != null ? readObject(parser, child) : skip(parser);
            } else if (token == JsonToken.START_ARRAY) {
                value = child != null ? readArray(parser, child) : skip(parser);
            } else if (child != null && child.leaf) {
                value = scalar(parser);
            }
            if (value != null) {
                kept.set(key, value);
            } else {
                kept.remove(key); // a repeated key: its last value is the parse's, and that one is cut
            }
        }
        return kept;
    }

    private ArrayNode readArray(JsonParser parser, Node node) throws IOException {
        ArrayNode kept = NODES.arrayNode();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == JsonToken.START_OBJECT) {
                kept.add(readObject(parser, node));
            } else if (token == JsonToken.START_ARRAY) {
                kept.add(readArray(parser, node));
            } else if (node.leaf) {
                kept.add(scalar(parser));
            } else {
                kept.add(NODES.objectNode());
            }
        }
        return kept;
    }

    private static JsonNode skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    /** The scalar the parser stands at, as the node Jackson's tree would hold. */
    private static JsonNode scalar(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            // numbers are rare in Auth0 records; the mapper picks the node type as its parse does
            default -> JSON.readTree(parser);
        };
    }

    /**
     * A path of {@link #branches} and the keys that lead on from it: the child at key {@code k}
     * is the node of {@code join(path, k)}. A key may hold dots, so a child can be several
     * segments further down; looking keys up here is looking up the joined text in
     * {@code branches} (and {@code leaves}), without making the text (Jackson's field names are
     * canonical strings that keep their hash).
     */
    private static final class Node {

        /** What a path that is no branch leads to: nothing. */
        static final Node NONE = new Node(false);

        final boolean leaf;
        private final Map<String, Node> children = new HashMap<>();
        /** Every node by its path, in the tree's root only. */
        private final Map<String, Node> byPath = new HashMap<>();

        private Node(boolean leaf) {
            this.leaf = leaf;
        }

        static Node tree(Set<String> branches, Set<String> leaves) {
            Node root = new Node(false);
            for (String path : branches) {
                root.byPath.put(path, new Node(leaves.contains(path)));
            }
            root.byPath.forEach((path, node) -> {
                root.children.put(path, node); // join(null, key) is the key itself
                String beginning = path + '.';
                root.byPath.forEach((longer, below) -> {
                    if (longer.startsWith(beginning)) {
                        node.children.put(longer.substring(beginning.length()), below);
                    }
                });
            });
            return root;
        }

        Node child(String key) {
            return children.get(key);
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
