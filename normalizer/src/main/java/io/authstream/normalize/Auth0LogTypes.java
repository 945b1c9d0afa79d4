package io.authstream.normalize;

import io.authstream.schemas.avro.Outcome;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Auth0 tenant log type codes (Auth0 docs, "Log Event Type Codes") mapped to normalised
 * {@code AuthEvent} types. A code not listed here is not an error: it passes through as
 * {@code auth0.<code>} with outcome NONE, and the original code is always kept in
 * {@code originalType}.
 */
public final class Auth0LogTypes {

    /** A normalised type and whether the code reports a success or a failure. */
    public record Mapping(String type, Outcome outcome) {}

    private static final Map<String, Mapping> CODES = Map.ofEntries(
            // sign-in
            entry("s", "user.signed_in", Outcome.SUCCESS),
            entry("ssa", "user.signed_in_silently", Outcome.SUCCESS),
            entry("f", "user.sign_in_failed", Outcome.FAILURE),
            entry("fp", "user.sign_in_failed", Outcome.FAILURE),
            entry("fu", "user.sign_in_failed", Outcome.FAILURE),
            entry("fc", "user.sign_in_failed", Outcome.FAILURE),
            entry("fco", "user.sign_in_failed", Outcome.FAILURE),
            entry("fcoa", "user.sign_in_failed", Outcome.FAILURE),
            entry("fsa", "user.signed_in_silently", Outcome.FAILURE),
            // sign-up and sign-out
            entry("ss", "user.signed_up", Outcome.SUCCESS),
            entry("fs", "user.sign_up_failed", Outcome.FAILURE),
            entry("slo", "user.signed_out", Outcome.SUCCESS),
            entry("flo", "user.sign_out_failed", Outcome.FAILURE),
            // account changes
            entry("scp", "user.password_changed", Outcome.SUCCESS),
            entry("fcp", "user.password_change_failed", Outcome.FAILURE),
            entry("scpr", "user.password_reset_requested", Outcome.SUCCESS),
            entry("fcpr", "user.password_reset_requested", Outcome.FAILURE),
            entry("sce", "user.email_changed", Outcome.SUCCESS),
            entry("fce", "user.email_changed", Outcome.FAILURE),
            entry("sv", "user.email_verified", Outcome.SUCCESS),
            entry("fv", "user.email_verified", Outcome.FAILURE),
            entry("du", "user.deleted", Outcome.SUCCESS),
            entry("sdu", "user.deleted", Outcome.SUCCESS),
            entry("fdu", "user.deleted", Outcome.FAILURE),
            // tokens and credentials
            entry("seacft", "credentials.exchanged", Outcome.SUCCESS),
            entry("feacft", "credentials.exchanged", Outcome.FAILURE),
            entry("seccft", "credentials.exchanged", Outcome.SUCCESS),
            entry("feccft", "credentials.exchanged", Outcome.FAILURE),
            entry("sertft", "credentials.refreshed", Outcome.SUCCESS),
            entry("fertft", "credentials.refreshed", Outcome.FAILURE),
            entry("ferrt", "credentials.refresh_token_reused", Outcome.FAILURE),
            // attack protection
            entry("limit_wc", "user.blocked", Outcome.FAILURE),
            entry("limit_sul", "user.blocked", Outcome.FAILURE),
            entry("limit_mu", "ip.blocked", Outcome.FAILURE),
            entry("pwd_leak", "user.breached_password", Outcome.FAILURE),
            // MFA
            entry("gd_auth_succeed", "mfa.succeeded", Outcome.SUCCESS),
            entry("gd_auth_failed", "mfa.failed", Outcome.FAILURE),
            entry("gd_auth_rejected", "mfa.push_rejected", Outcome.FAILURE),
            entry("gd_send_pn", "mfa.push_sent", Outcome.NONE),
            // management API
            entry("sapi", "api.operation", Outcome.SUCCESS),
            entry("fapi", "api.operation", Outcome.FAILURE));

    private Auth0LogTypes() {}

    /** The mapping of {@code code}; unknown codes pass through as {@code auth0.<code>}. */
    public static Mapping of(String code) {
        Mapping known = CODES.get(code);
        return known != null ? known : new Mapping("auth0." + code, Outcome.NONE);
    }

    /** The normalised types the codes map to. */
    public static Set<String> normalisedTypes() {
        return CODES.values().stream().map(Mapping::type).collect(Collectors.toUnmodifiableSet());
    }

    public static boolean isKnown(String code) {
        return CODES.containsKey(code);
    }

    private static Map.Entry<String, Mapping> entry(String code, String type, Outcome outcome) {
        return Map.entry(code, new Mapping(type, outcome));
    }
}
