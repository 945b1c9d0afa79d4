package io.authstream.gateway.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request line and headers are not complete within a deadline of
 * their first byte ({@code GATEWAY_HEADER_TIMEOUT_MS}; Go's {@code ReadHeaderTimeout}). Jetty
 * bounds the headers' size and the silence between bytes (the idle timeout) but not their
 * duration, and its minimum data rate applies to bodies only: a client sending one header byte
 * just before each idle timeout would hold a connection for 8 KiB times the idle timeout.
 *
 * <p>The connection is closed without an answer, as Jetty closes one whose idle timeout expires
 * mid-headers: there is no request yet to answer. A kept-alive connection waiting for its next
 * request (nothing of it received) is left to the idle timeout, as is a request whose headers
 * are complete (its body is bounded by the idle timeout and the body limit, its handling by the
 * ack timeout).
 *
 * <p>Open connections are checked every tenth of the deadline (at least every second), so one is
 * closed between the deadline and the deadline plus two checks after its first header byte.
 * The parser state is read from Jetty's HTTP/1.1 connection, an internal class: HostileInputIT
 * fails if a Jetty upgrade changes what it means.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    private final Scheduler scheduler;
    private final Duration deadline;
    private final Duration checkEvery;
    private final Runnable onClosed;
    private final Map<HttpConnection, HeaderClock> open = new ConcurrentHashMap<>();
    private volatile Scheduler.Task nextCheck;

    /** {@code onClosed} runs once for every connection closed at the deadline (to count them). */
    HeaderDeadline(Scheduler scheduler, Duration deadline, Runnable onClosed) {
        this.scheduler = scheduler;
        this.deadline = deadline;
        this.checkEvery = checkInterval(deadline);
        this.onClosed = onClosed;
    }

    static Duration checkInterval(Duration deadline) {
        long tenth = deadline.toMillis() / 10;
        return Duration.ofMillis(Math.max(10, Math.min(1000, tenth)));
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new HeaderClock(deadline.toNanos()));
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    @Override
    protected void doStart() {
        scheduleCheck();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = nextCheck;
        if (task != null) {
            task.cancel();
        }
        open.clear();
    }

    private void scheduleCheck() {
        nextCheck = scheduler.schedule(this::check, checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            long now = System.nanoTime();
            open.forEach((connection, clock) -> {
                if (clock.overdue(midHeaders(connection.getParser()), connection.getMessagesIn(), now)) {
                    // Forgotten at once: Jetty reports the close later, from its selector thread.
                    open.remove(connection);
                    connection
                            .getEndPoint()
                            .close(new TimeoutException(
                                    "request headers not complete within " + deadline.toMillis() + " ms"));
                    onClosed.run();
                }
            });
        } catch (RuntimeException e) {
            // One bad check must not end them all: the next one runs regardless.
            LOG.warn("checking connections for the header deadline failed", e);
        } finally {
            if (isRunning()) {
                scheduleCheck();
            }
        }
    }

    /**
     * Part of a request has arrived and its headers are not complete. At START the parser has
     * seen no request line yet, but blank lines before one count as header bytes (and restart
     * the parser's own clock), so they count here too.
     */
    private static boolean midHeaders(HttpParser parser) {
        return parser.inHeaderState() && (!parser.isStart() || parser.getHeaderLength() > 0);
    }
}
