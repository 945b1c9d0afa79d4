package io.authstream.streams.rules;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads an object or array from JSON text keeping only what a {@link Branch} names, and builds
 * nothing of the rest: not its nodes, not its names. It accepts and refuses what Jackson's
 * {@code ObjectMapper.readTree} does with its default settings (strict JSON, the default
 * {@link StreamReadConstraints}: nesting depth, number, name and string lengths; what follows the
 * first value is not read), and the tree it gives is that parse cut down to the branch (a
 * repeated key's last value wins, numbers become the nodes the parse makes of them).
 *
 * <p>Why not Jackson's own streaming parser: it makes every field name it meets a canonical
 * string, in skipped objects too, and rule documents need few of the names in an Auth0 record:
 * this reads raw in about half the time (docs/benchmarks.md). {@code PrunedJsonReaderProperties}
 * and {@code PrunedJsonReaderFuzzTest} hold it to Jackson's parse.
 */
final class PrunedJsonReader {

    /** What to keep of an object's fields or an array's elements. */
    interface Branch {

        /** What to keep of the value at this key; null to keep nothing of it. */
        Branch child(String key);

        /** {@link #child(String)} of the key {@code text.substring(from, to)}, without making it. */
        Branch child(String text, int from, int to);

        /** Whether a scalar here is kept. */
        boolean leaf();
    }

    /** The text is not JSON as Jackson reads it (or breaks one of its limits). */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed() {
            super(null, null, false, false);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final StreamReadConstraints LIMITS = JSON.getFactory().streamReadConstraints();
    private static final int MAX_DEPTH = LIMITS.getMaxNestingDepth();
    private static final int MAX_NUMBER = LIMITS.getMaxNumberLength();
    private static final int MAX_NAME = LIMITS.getMaxNameLength();
    private static final int MAX_STRING = LIMITS.getMaxStringLength();

    private final String text;
    private final int end;
    private int pos;
    private int depth;

    PrunedJsonReader(String text) {
        this.text = text;
        this.end = text.length();
    }

    /** The first character after whitespace, where the value starts; -1 at the end of the text. */
    int start() throws Malformed {
        return next();
    }

    /** The object starting at {@link #start}, cut down to the branch. */
    ObjectNode readObject(Branch branch) throws Malformed {
        ObjectNode kept = NODES.objectNode();
        enter();
        int c = next();
        if (c == '}') {
            return leave(kept);
        }
        while (true) {
            if (c != '"') {
                throw new Malformed();
            }
            // most names have no escapes: looked up where they stand, made into strings only when kept
            int from = pos + 1;
            int to = plainStringEnd(MAX_NAME);
            String key = to < 0 ? readString(MAX_NAME) : null;
            if (next() != ':') {
                throw new Malformed();
            }
            pos++;
            Branch child = key == null ? branch.child(text, from, to) : branch.child(key);
            if (child == null) {
                skipValue(); // and the key was never kept, so there is nothing to take back
            } else {
                JsonNode value = readValue(child);
                if (key == null) {
                    key = text.substring(from, to);
                }
                if (value != null) {
                    kept.set(key, value);
                } else {
                    kept.remove(key); // a repeated key: its last value is the parse's, and that one is cut
                }
            }
            c = next();
            if (c == '}') {
                return leave(kept);
            }
            if (c != ',') {
                throw new Malformed();
            }
            pos++;
            c = next();
        }
    }

    /** The array starting at {@link #start}, cut down to the branch (elements keep their places). */
    ArrayNode readArray(Branch branch) throws Malformed {
        ArrayNode kept = NODES.arrayNode();
        enter();
        if (next() == ']') {
            return leave(kept);
        }
        while (true) {
            JsonNode element = readValue(branch);
            kept.add(element == null ? NODES.objectNode() : element);
            int c = next();
            if (c == ']') {
                return leave(kept);
            }
            if (c != ',') {
                throw new Malformed();
            }
            pos++;
        }
    }

    /** The value at the next token, cut down; null for a scalar the branch does not keep. */
    private JsonNode readValue(Branch branch) throws Malformed {
        int c = next();
        if (c == '{') {
            return readObject(branch);
        }
        if (c == '[') {
            return readArray(branch);
        }
        if (!branch.leaf()) {
            skipValue();
            return null;
        }
        if (c == '"') {
            return NODES.textNode(readString(MAX_STRING));
        }
        if (c == 't' || c == 'f' || c == 'n') {
            return switch (literal()) {
                case 't' -> NODES.booleanNode(true);
                case 'f' -> NODES.booleanNode(false);
                default -> NODES.nullNode();
            };
        }
        int from = pos;
        boolean integer = skipNumber();
        if (integer && pos - from <= 18) {
            // what Jackson's parse makes of an integer that fits a long: an int node when it fits an int
            long value = Long.parseLong(text, from, pos, 10);
            return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
        }
        try {
            return JSON.readTree(text.substring(from, pos)); // the node type Jackson's parse picks
        } catch (IOException e) {
            throw new Malformed();
        }
    }

    /** Reads past the value at the next token, checking it as Jackson would; null. */
    private JsonNode skipValue() throws Malformed {
        int c = next();
        switch (c) {
            case '{' -> skipObject();
            case '[' -> skipArray();
            case '"' -> skipString(MAX_STRING);
            case 't', 'f', 'n' -> literal();
            default -> skipNumber();
        }
        return null;
    }

    private void skipObject() throws Malformed {
        enter();
        int c = next();
        if (c == '}') {
            leave(null);
            return;
        }
        while (true) {
            if (c != '"') {
                throw new Malformed();
            }
            skipString(MAX_NAME);
            if (next() != ':') {
                throw new Malformed();
            }
            pos++;
            skipValue();
            c = next();
            if (c == '}') {
                leave(null);
                return;
            }
            if (c != ',') {
                throw new Malformed();
            }
            pos++;
            c = next();
        }
    }

    private void skipArray() throws Malformed {
        enter();
        if (next() == ']') {
            leave(null);
            return;
        }
        while (true) {
            skipValue();
            int c = next();
            if (c == ']') {
                leave(null);
                return;
            }
            if (c != ',') {
                throw new Malformed();
            }
            pos++;
        }
    }

    /** At '{' or '[': one level deeper, past the bracket. */
    private void enter() throws Malformed {
        if (++depth > MAX_DEPTH) {
            throw new Malformed();
        }
        pos++;
    }

    /** At '}' or ']': one level up, past the bracket. */
    private <T> T leave(T value) {
        depth--;
        pos++;
        return value;
    }

    /** Skips JSON whitespace; the character then reached, or -1 at the end. Any other control character is refused. */
    private int next() throws Malformed {
        while (pos < end) {
            char c = text.charAt(pos);
            if (c > ' ') {
                return c;
            }
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                throw new Malformed();
            }
            pos++;
        }
        return -1;
    }

    /**
     * For the string at '"' when it has no escapes: the index of its closing quote, the reader
     * then past it; -1, the reader not moved, when it has an escape.
     */
    private int plainStringEnd(int maxLength) throws Malformed {
        int from = pos + 1;
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i - from > maxLength) {
                    throw new Malformed();
                }
                pos = i + 1;
                return i;
            }
            if (c == '\\') {
                return -1;
            }
            if (c < ' ') {
                throw new Malformed();
            }
        }
        throw new Malformed();
    }

    /** The string at '"', unescaped; past its closing quote. */
    private String readString(int maxLength) throws Malformed {
        int from = pos + 1;
        int to = plainStringEnd(maxLength);
        if (to >= 0) {
            return text.substring(from, to);
        }
        // plainStringEnd stopped at the first backslash, with no quote or control character before it
        return readEscaped(from, text.indexOf('\\', from), maxLength);
    }

    /** The rest of a string with escapes, from its first backslash at {@code at}. */
    private String readEscaped(int from, int at, int maxLength) throws Malformed {
        StringBuilder value = new StringBuilder(at - from + 16).append(text, from, at);
        int i = at;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '"') {
                if (value.length() > maxLength) {
                    throw new Malformed();
                }
                pos = i + 1;
                return value.toString();
            }
            if (c == '\\') {
                i = unescape(i, value);
            } else if (c < ' ') {
                throw new Malformed();
            } else {
                value.append(c);
                i++;
            }
        }
        throw new Malformed();
    }

    /** Checks the string at '"' without building it; past its closing quote. */
    private void skipString(int maxLength) throws Malformed {
        int length = 0;
        int i = pos + 1;
        while (i < end) {
            char c = text.charAt(i);
            if (c == '"') {
                if (length > maxLength) {
                    throw new Malformed();
                }
                pos = i + 1;
                return;
            }
            if (c == '\\') {
                i = unescape(i, null);
            } else if (c < ' ') {
                throw new Malformed();
            } else {
                i++;
            }
            length++;
        }
        throw new Malformed();
    }

    /** The escape at backslash {@code at}, appended to {@code value} (when not null); the index after it. */
    private int unescape(int at, StringBuilder value) throws Malformed {
        if (at + 1 >= end) {
            throw new Malformed();
        }
        char c = text.charAt(at + 1);
        char decoded;
        switch (c) {
            case '"', '\\', '/' -> decoded = c;
            case 'b' -> decoded = '\b';
            case 'f' -> decoded = '\f';
            case 'n' -> decoded = '\n';
            case 'r' -> decoded = '\r';
            case 't' -> decoded = '\t';
            case 'u' -> {
                if (at + 6 > end) {
                    throw new Malformed();
                }
                int code = 0;
                for (int k = at + 2; k < at + 6; k++) {
                    int digit = Character.digit(text.charAt(k), 16);
                    if (digit < 0 || text.charAt(k) > 'f') {
                        throw new Malformed(); // Character.digit also takes non-ASCII digits
                    }
                    code = code * 16 + digit;
                }
                if (value != null) {
                    value.append((char) code);
                }
                return at + 6;
            }
            default -> throw new Malformed();
        }
        if (value != null) {
            value.append(decoded);
        }
        return at + 2;
    }

    /** The literal true, false or null at its first letter, checked; that letter. */
    private char literal() throws Malformed {
        char first = text.charAt(pos);
        String word = first == 't' ? "true" : first == 'f' ? "false" : "null";
        if (!text.startsWith(word, pos)) {
            throw new Malformed();
        }
        pos += word.length();
        return first;
    }

    /**
     * Checks the number at the next token: JSON's grammar and Jackson's limit on its digits;
     * whether it is an integer (no fraction, no exponent).
     */
    private boolean skipNumber() throws Malformed {
        if (pos < end && text.charAt(pos) == '-') {
            pos++;
        }
        int digits = pos;
        if (pos < end && text.charAt(pos) == '0') {
            pos++;
        } else if (digits(pos) == pos) {
            throw new Malformed();
        } else {
            pos = digits(pos);
        }
        int count = pos - digits;
        boolean integer = true;
        if (pos < end && text.charAt(pos) == '.') {
            integer = false;
            int fraction = digits(pos + 1);
            if (fraction == pos + 1) {
                throw new Malformed();
            }
            count += fraction - pos - 1;
            pos = fraction;
        }
        if (pos < end && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            integer = false;
            int exponent = pos + 1;
            if (exponent < end && (text.charAt(exponent) == '+' || text.charAt(exponent) == '-')) {
                exponent++;
            }
            int after = digits(exponent);
            if (after == exponent) {
                throw new Malformed();
            }
            count += after - exponent;
            pos = after;
        }
        if (count > MAX_NUMBER) {
            throw new Malformed();
        }
        return integer;
    }

    /** The index after the ASCII digits starting at {@code from}. */
    private int digits(int from) {
        int i = from;
        while (i < end && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }
}
