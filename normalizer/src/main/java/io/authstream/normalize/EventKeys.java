package io.authstream.normalize;

import io.authstream.schemas.avro.AuthEvent;

/** The partition key of an event: user id, else {@code ip:<ip>}, else its event id. */
public final class EventKeys {

    private EventKeys() {}

    public static String of(AuthEvent event) {
        if (event.getUserId() != null) {
            return event.getUserId();
        }
        if (event.getIp() != null) {
            return "ip:" + event.getIp();
        }
        return event.getEventId();
    }
}
