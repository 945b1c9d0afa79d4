package io.authstream.streams.security;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.Severity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Events that are alerts by themselves: Auth0 Attack Protection's own blocks ({@code limit_wc},
 * {@code limit_sul}, {@code limit_mu}), breached passwords ({@code pwd_leak}) and refresh-token
 * reuse ({@code ferrt}). One event, one alert; dedup upstream makes it once.
 */
public final class Auth0Signals {

    public static final String ATTACK_PROTECTION = "auth0-attack-protection";
    public static final String BREACHED_PASSWORD = "breached-password";
    public static final String REFRESH_TOKEN_REUSE = "refresh-token-reuse";

    private Auth0Signals() {}

    public static List<SecurityAlert> alertsFor(AuthEvent event) {
        String type = event.getType();
        String code = event.getOriginalType() == null ? type : event.getOriginalType();
        return switch (type) {
            case "user.blocked", "ip.blocked" ->
                List.of(alert(
                        event,
                        ATTACK_PROTECTION,
                        Severity.HIGH,
                        "Auth0 Attack Protection blocked " + subject(event) + " (" + code + ")",
                        Map.of("auth0_type", code)));
            case "user.breached_password" ->
                List.of(alert(
                        event,
                        BREACHED_PASSWORD,
                        Severity.HIGH,
                        "sign-in with a breached password for " + subject(event),
                        Map.of("auth0_type", code)));
            case "credentials.refresh_token_reused" ->
                List.of(alert(
                        event,
                        REFRESH_TOKEN_REUSE,
                        Severity.HIGH,
                        "a rotated refresh token was reused for " + subject(event),
                        Map.of("auth0_type", code)));
            default -> List.of();
        };
    }

    private static String subject(AuthEvent event) {
        String who = event.getUserId() != null
                ? event.getUserId()
                : event.getEmail() != null ? event.getEmail() : "an unknown user";
        return who + (event.getIp() != null ? " from " + event.getIp() : "");
    }

    private static SecurityAlert alert(
            AuthEvent event, String rule, Severity severity, String summary, Map<String, String> extra) {
        long at = event.getOccurredAt().toEpochMilli();
        Map<String, String> attributes = new HashMap<>(extra);
        if (event.getEmail() != null) {
            attributes.put("email", event.getEmail());
        }
        return Alerts.alert(
                rule,
                severity,
                event.getUserId(),
                event.getIp(),
                at,
                at,
                summary,
                List.of(event.getEventId()),
                attributes);
    }
}
