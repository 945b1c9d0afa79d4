package io.authstream.schemas;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The e-mail check of provisioning requests, the same where they are taken (the gateway's admin
 * routes) and where they are sent to Auth0 (the provisioning sink).
 */
public final class EmailAddresses {

    /** RFC 5321's limit on a forward path; also what keeps the pattern below from running for seconds. */
    public static final int MAX_LENGTH = 254;

    /**
     * Deliberately simple: one @, a dot in the domain, no spaces (Auth0 validates the rest). It
     * backtracks quadratically over dots (40 000 characters took 9 s), so only bounded input reaches it.
     */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private EmailAddresses() {}

    /** Why {@code email} is not taken, empty when it is. */
    public static Optional<String> problem(String email) {
        if (email.length() > MAX_LENGTH) {
            return Optional.of("email is " + email.length() + " characters long, at most " + MAX_LENGTH + " are taken");
        }
        if (!EMAIL.matcher(email).matches()) {
            return Optional.of("email '" + email + "' is not an e-mail address");
        }
        return Optional.empty();
    }
}
