package io.authstream.connect.mail;

import io.authstream.schemas.avro.Notification;
import java.util.HashMap;
import java.util.Map;

/** The placeholders' values of one notification: its attributes, then its own fields, which win. */
final class TemplateValues {

    private TemplateValues() {}

    static Map<String, String> of(Notification notification) {
        Map<String, String> values = new HashMap<>();
        if (notification.getAttributes() != null) {
            values.putAll(notification.getAttributes());
        }
        values.put("notificationId", notification.getNotificationId());
        values.put("kind", notification.getKind());
        values.put("userId", notification.getUserId());
        values.put("email", notification.getEmail());
        values.put("displayName", notification.getDisplayName());
        values.put("triggeringEventId", notification.getTriggeringEventId());
        values.put(
                "createdAt",
                notification.getCreatedAt() == null
                        ? null
                        : notification.getCreatedAt().toString());
        return values;
    }
}
