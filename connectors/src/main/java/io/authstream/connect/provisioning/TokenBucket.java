package io.authstream.connect.provisioning;

import java.util.function.LongSupplier;

/**
 * A client-side rate limiter: {@code perSecond} tokens a second, at most {@code perSecond} held
 * (a burst of one second's worth), one taken per Management API call. Auth0 answers 429 past its
 * limit, and every 429 costs a wait until the limit resets for all of the tenant's clients; staying
 * under the limit keeps the other callers (log streams, the logs source) out of it.
 */
final class TokenBucket {

    /** Waits; tests advance a clock instead. */
    @FunctionalInterface
    interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private static final long SECOND = 1_000_000_000L;

    private final double perSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double tokens;
    private long refilledAt;

    TokenBucket(int perSecond) {
        this(perSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    TokenBucket(int perSecond, LongSupplier nanoTime, Sleeper sleeper) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("at least one request a second, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.tokens = perSecond;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes one token, waiting until one is there. */
    synchronized void acquire() throws InterruptedException {
        while (true) {
            long now = nanoTime.getAsLong();
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / SECOND);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return;
            }
            sleeper.sleepNanos((long) Math.ceil((1 - tokens) * SECOND / perSecond));
        }
    }
}
