package io.authstream.connect.auth0;

/**
 * A Management API call that failed for good: after the retries, or with an answer retrying
 * cannot fix. The message names the call, the status and Auth0's own error, never a credential.
 */
public final class Auth0Exception extends RuntimeException {

    private final int status;
    private final boolean retriable;

    public Auth0Exception(String message, int status, boolean retriable, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retriable = retriable;
    }

    /** HTTP status of the last answer, 0 when none came (timeout, connection refused). */
    public int status() {
        return status;
    }

    /** Whether the failure was transient (rate limit, 5xx, timeout) and only ran out of tries. */
    public boolean retriable() {
        return retriable;
    }
}
