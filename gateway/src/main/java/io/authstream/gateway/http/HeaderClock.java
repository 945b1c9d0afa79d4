package io.authstream.gateway.http;

/**
 * Since when one connection has been reading the request line and headers of one request, as
 * seen by checks at intervals. A request is told from the next by the connection's count of
 * requests whose headers were complete: it does not change while one request's headers arrive
 * (leading blank lines and request line included), and it grows as soon as they are complete, so
 * two sightings mid-headers with the same count are the same request, however long apart.
 *
 * <p>Only the thread that checks touches it.
 */
final class HeaderClock {

    private static final long NONE = -1;

    private final long deadlineNanos;
    private long requestCount = NONE;
    private long since;

    HeaderClock(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * Records one check at {@code nowNanos} and answers whether the connection has been in the
     * headers of the same request for at least the deadline since it was first seen there.
     *
     * @param midHeaders whether part of a request line or header has arrived and the headers are not complete
     * @param requestsWithHeaders how many requests on this connection had complete headers so far
     */
    boolean overdue(boolean midHeaders, long requestsWithHeaders, long nowNanos) {
        if (!midHeaders) {
            requestCount = NONE;
            return false;
        }
        if (requestCount != requestsWithHeaders) {
            requestCount = requestsWithHeaders;
            since = nowNanos;
            return false;
        }
        return nowNanos - since >= deadlineNanos;
    }
}
