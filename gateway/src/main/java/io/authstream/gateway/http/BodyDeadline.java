package io.authstream.gateway.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.NanoTime;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Fails the reading of a request body that has not arrived {@code GATEWAY_BODY_TIMEOUT_MS} after
 * the request's headers did. The idle timeout bounds only the silence between bytes, so without
 * this a client sending a byte just before each idle timeout holds a request thread for as long
 * as its body lasts (a megabyte of idle timeouts); with it, a thread waits at most the deadline.
 * Reads after the deadline fail with {@link BodyTimeoutException}, and a read waiting for data
 * is woken at the deadline to fail too, so the route answers then, not at the next byte.
 */
final class BodyDeadline extends Handler.Wrapper {

    /** Why reading a body failed: it was not complete by its deadline. */
    static final class BodyTimeoutException extends TimeoutException {
        BodyTimeoutException(Duration timeout) {
            super("the request body did not arrive within " + timeout.toMillis() + " ms of its headers");
        }
    }

    private final Duration timeout;

    BodyDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        long headersAt = request.getHeadersNanoTime();
        long deadline = (headersAt != 0 ? headersAt : NanoTime.now()) + timeout.toNanos();
        return super.handle(new DeadlineRequest(request, deadline), response, callback);
    }

    private final class DeadlineRequest extends Request.Wrapper {

        private final long deadline;
        private volatile Content.Chunk expired;

        DeadlineRequest(Request request, long deadline) {
            super(request);
            this.deadline = deadline;
        }

        @Override
        public Content.Chunk read() {
            if (expired == null && NanoTime.until(deadline) <= 0) {
                expire();
            }
            Content.Chunk failure = expired;
            return failure != null ? failure : super.read();
        }

        @Override
        public void demand(Runnable onContent) {
            long remaining = NanoTime.until(deadline);
            if (expired != null || remaining <= 0) {
                expire();
                onContent.run();
                return;
            }
            // Either the data or the deadline wakes the reader, whichever comes first, and only once.
            AtomicBoolean woken = new AtomicBoolean();
            Runnable wake = () -> {
                if (woken.compareAndSet(false, true)) {
                    onContent.run();
                }
            };
            Scheduler.Task timer = getComponents()
                    .getScheduler()
                    .schedule(
                            () -> {
                                expire();
                                wake.run();
                            },
                            remaining,
                            TimeUnit.NANOSECONDS);
            super.demand(() -> {
                timer.cancel();
                wake.run();
            });
        }

        private void expire() {
            if (expired == null) {
                expired = Content.Chunk.from(new BodyTimeoutException(timeout), true);
            }
        }
    }
}
