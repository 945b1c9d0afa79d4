package io.authstream.teststack;

import io.authstream.embedded.EmbeddedKafkaBroker;
import io.authstream.embedded.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;

/** The default: a real KRaft node in this JVM, on free loopback ports, in a temporary directory. */
final class EmbeddedKafkaBackend implements KafkaBackend {

    /** How often the test broker deletes what retention allows. */
    static final Duration RETENTION_CHECK_EVERY = Duration.ofSeconds(5);

    private final Path dataDir;
    private final EmbeddedKafkaBroker broker;

    EmbeddedKafkaBackend() {
        try {
            dataDir = Files.createTempDirectory("authstream-test-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Retention checks run early and often, as a long-running broker's would have by the time a
        // backfill arrives: tests replay events that are years old, and a topic whose retention
        // counts from event times would lose them here, not only in production. (Deferring the
        // first check past the test run, as this broker once did, hid exactly that.)
        broker = new EmbeddedKafkaBroker(dataDir, FreePorts.next(), FreePorts.next())
                .withSetting("log.initial.task.delay.ms", Long.toString(RETENTION_CHECK_EVERY.toMillis()))
                .withSetting("log.retention.check.interval.ms", Long.toString(RETENTION_CHECK_EVERY.toMillis()))
                .start(Duration.ofSeconds(60));
    }

    @Override
    public String name() {
        return "embedded";
    }

    @Override
    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public boolean canStop() {
        return true;
    }

    @Override
    public void stop() {
        broker.close();
    }

    @Override
    public void restart() {
        broker.start(Duration.ofSeconds(60));
    }

    @Override
    public void close() {
        broker.close();
        try (var paths = Files.walk(dataDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dataDir, e);
        }
    }
}
