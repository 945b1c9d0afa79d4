package io.authstream.streams.security;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.Severity;
import io.authstream.streams.security.ThresholdRule.Subject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The threshold rules and their defaults (Auth0 Attack Protection and public detection
 * catalogues). Rules "by ip" run on the events repartitioned by client IP, the others on the
 * ordered stream, keyed by user.
 */
public final class ThresholdRules {

    public static final String BRUTE_FORCE = "brute-force";
    public static final String CREDENTIAL_STUFFING = "credential-stuffing";
    public static final String CREDENTIAL_STUFFING_ACCOUNTS = "credential-stuffing-accounts";
    public static final String SIGNUP_ABUSE = "signup-abuse";
    public static final String MULTI_IP_SIGN_IN = "multi-ip-sign-in";
    public static final String MFA_PUSH_FATIGUE = "mfa-push-fatigue";
    public static final String RAPID_CREDENTIAL_REFRESH = "rapid-credential-refresh";

    private ThresholdRules() {}

    /** Rules counted per client IP (or IP and account): need the events repartitioned by IP. */
    public static final List<ThresholdRule> BY_IP = List.of(
            new ThresholdRule(
                    BRUTE_FORCE,
                    Severity.HIGH,
                    ThresholdRules::failedSignIn,
                    e -> account(e)
                            .flatMap(a ->
                                    ip(e).map(ip -> new Subject(ip + "|" + a, e.getUserId(), ip, a + " from " + ip))),
                    Optional.empty(),
                    10,
                    Duration.ofHours(1),
                    "%d failed logins for %s within %s"),
            new ThresholdRule(
                    CREDENTIAL_STUFFING,
                    Severity.HIGH,
                    ThresholdRules::failedSignIn,
                    ThresholdRules::byIp,
                    Optional.empty(),
                    100,
                    Duration.ofHours(24),
                    "%d failed logins %s within %s"),
            new ThresholdRule(
                    CREDENTIAL_STUFFING_ACCOUNTS,
                    Severity.HIGH,
                    ThresholdRules::failedSignIn,
                    ThresholdRules::byIp,
                    Optional.of(e -> account(e).orElse("?")),
                    20,
                    Duration.ofMinutes(10),
                    "failed logins against %d accounts %s within %s"),
            new ThresholdRule(
                    SIGNUP_ABUSE,
                    Severity.MEDIUM,
                    e -> Set.of("user.signed_up", "user.sign_up_failed").contains(e.getType()),
                    ThresholdRules::byIp,
                    Optional.empty(),
                    50,
                    Duration.ofMinutes(1),
                    "%d sign-ups %s within %s"));

    /** Rules counted per user, on the ordered stream (keyed by user id). */
    public static final List<ThresholdRule> BY_USER = List.of(
            new ThresholdRule(
                    MULTI_IP_SIGN_IN,
                    Severity.MEDIUM,
                    e -> "user.signed_in".equals(e.getType()) && e.getOutcome() == Outcome.SUCCESS && e.getIp() != null,
                    ThresholdRules::byUser,
                    Optional.of(AuthEvent::getIp),
                    3,
                    Duration.ofMinutes(10),
                    "sign-ins from %d IP addresses for %s within %s"),
            new ThresholdRule(
                    MFA_PUSH_FATIGUE,
                    Severity.HIGH,
                    e -> Set.of("mfa.push_sent", "mfa.push_rejected").contains(e.getType()),
                    ThresholdRules::byUser,
                    Optional.empty(),
                    5,
                    Duration.ofMinutes(30),
                    "%d MFA push notifications sent or denied for %s within %s"),
            new ThresholdRule(
                    RAPID_CREDENTIAL_REFRESH,
                    Severity.MEDIUM,
                    e -> Set.of("credentials.refreshed", "credentials.exchanged")
                                    .contains(e.getType())
                            && e.getOutcome() != Outcome.FAILURE,
                    ThresholdRules::byUser,
                    Optional.empty(),
                    20,
                    Duration.ofMinutes(5),
                    "%d token refreshes or exchanges for %s within %s"));

    static boolean failedSignIn(AuthEvent event) {
        return "user.sign_in_failed".equals(event.getType());
    }

    /** Who a failed login tried to be: the user id, else the name typed (email / username). */
    static Optional<String> account(AuthEvent event) {
        return Optional.ofNullable(event.getUserId())
                .or(() -> Optional.ofNullable(event.getEmail()))
                .or(() -> Optional.ofNullable(event.getDisplayName()));
    }

    private static Optional<String> ip(AuthEvent event) {
        return Optional.ofNullable(event.getIp());
    }

    private static Optional<Subject> byIp(AuthEvent event) {
        return ip(event).map(ip -> new Subject(ip, null, ip, "from " + ip));
    }

    private static Optional<Subject> byUser(AuthEvent event) {
        return Optional.ofNullable(event.getUserId()).map(user -> new Subject(user, user, null, user));
    }
}
