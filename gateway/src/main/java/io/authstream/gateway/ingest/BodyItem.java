package io.authstream.gateway.ingest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of a request body: its parsed JSON and its original text, or, when that part of the
 * body is not JSON, the text and why it could not be read (it is dead-lettered, not dropped).
 *
 * @param position 1-based place of the event in the body (array element or line)
 */
public record BodyItem(int position, JsonNode json, String raw, String error) {

    public static BodyItem parsed(int position, JsonNode json, String raw) {
        return new BodyItem(position, json, raw, null);
    }

    public static BodyItem unreadable(int position, String raw, String error) {
        return new BodyItem(position, null, raw, error);
    }

    public boolean isParsed() {
        return error == null;
    }
}
