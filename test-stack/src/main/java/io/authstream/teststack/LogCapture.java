package io.authstream.teststack;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Every log line of this JVM while open, to check that no secret reaches a log. */
public final class LogCapture implements AutoCloseable {

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    private LogCapture() {
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** The formatted messages so far. */
    public List<String> messages() {
        // ListAppender appends under its own lock (AppenderBase.doAppend), not the list's.
        synchronized (appender) {
            return appender.list.stream()
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
    }

    /**
     * The formatted messages so far, each with the messages of its exception and of the
     * exception's causes: a secret can leak through an exception as easily as through a message.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>();
        // ListAppender appends under its own lock (AppenderBase.doAppend), not the list's.
        synchronized (appender) {
            for (ILoggingEvent event : appender.list) {
                StringBuilder line = new StringBuilder(event.getFormattedMessage());
                for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(" | ").append(t.getClassName()).append(": ").append(t.getMessage());
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }

    /** The lines that contain any of {@code secrets}. */
    public List<String> linesContainingAny(Collection<String> secrets) {
        return lines().stream()
                .filter(line -> secrets.stream().anyMatch(line::contains))
                .toList();
    }

    @Override
    public void close() {
        root.detachAppender(appender);
    }
}
