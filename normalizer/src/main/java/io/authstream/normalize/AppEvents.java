package io.authstream.normalize;

import io.authstream.schemas.deadletter.DeadLetterReason;
import java.util.HashSet;
import java.util.Set;

/**
 * What an application may say about its users (PutEvents, and the app events EventBridge relays).
 * Its credentials let it report its own sign-ins and sign-ups, never to speak for Auth0: Auth0 log
 * records, the {@code aws.*} sources AWS reserves for itself and its partners, and the types only
 * Auth0 reports (blocks, breached passwords, MFA, token reuse, deletions) are refused, because the
 * profile fold and the detections act on them (an app saying {@code user.deleted} would delete a
 * profile; one saying {@code user.blocked} would raise an alert). Its event ids get the
 * {@value #ID_PREFIX} prefix, so an id it chooses can never be an Auth0 {@code log_id} that
 * dedup would then drop as a copy.
 */
public final class AppEvents {

    public static final String ID_PREFIX = "app:";
    /** EventBridge names Auth0's partner event sources {@code aws.partner/auth0.com/<tenant>-<id>/auth0.logs}. */
    public static final String AUTH0_PARTNER_SOURCE_PREFIX = "aws.partner/auth0.com/";

    /**
     * What apps report today (the UserProfile setup's {@code user.signed_in}), their other account
     * events, and the token exchanges and refreshes a token-exchange service performs itself.
     */
    public static final Set<String> APP_TYPES = Set.of(
            "user.signed_in",
            "user.signed_up",
            "user.signed_out",
            "user.sign_in_failed",
            "user.sign_up_failed",
            "user.created",
            "user.updated",
            "credentials.exchanged",
            "credentials.refreshed");

    /** Every normalised type an Auth0 source makes, but for those an app may report too. */
    public static final Set<String> AUTH0_ONLY_TYPES = auth0OnlyTypes();

    private AppEvents() {}

    private static Set<String> auth0OnlyTypes() {
        Set<String> types = new HashSet<>(Auth0LogTypes.normalisedTypes());
        types.add("user.deleted");
        types.removeAll(APP_TYPES);
        return Set.copyOf(types);
    }

    /** Whether {@code type} is one only Auth0 reports, including the {@code auth0.<code>} pass-through of unmapped codes. */
    public static boolean isAuth0Only(String type) {
        return AUTH0_ONLY_TYPES.contains(type) || type.startsWith("auth0.") || type.startsWith("com.auth0.");
    }

    /**
     * @throws NormalizationException ({@link DeadLetterReason#NOT_ALLOWED_ON_ROUTE}) when an app
     *     event claims an AWS source or a type only Auth0 reports
     */
    static void check(String eventSource, String type) {
        if (eventSource != null && eventSource.startsWith("aws.")) {
            throw new NormalizationException(
                    DeadLetterReason.NOT_ALLOWED_ON_ROUTE,
                    "source \"" + JsonFields.shorten(eventSource)
                            + "\" is reserved for AWS and its partners; an application's events cannot use an aws.* source");
        }
        if (isAuth0Only(type)) {
            throw new NormalizationException(
                    DeadLetterReason.NOT_ALLOWED_ON_ROUTE,
                    "type \"" + JsonFields.shorten(type)
                            + "\" is reported only by Auth0; an application's events may not claim it");
        }
    }

    /** The id of an app event, in the app namespace. */
    static String id(String appId) {
        return ID_PREFIX + appId;
    }
}
