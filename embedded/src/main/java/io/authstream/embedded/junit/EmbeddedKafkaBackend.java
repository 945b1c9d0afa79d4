package io.authstream.embedded.junit;

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

    private final Path dataDir;
    private final EmbeddedKafkaBroker broker;

    EmbeddedKafkaBackend() {
        try {
            dataDir = Files.createTempDirectory("authstream-test-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Tests replay sample events that are years old; on time-retained topics whose records carry
        // event times (auth.events.ordered) the broker's first retention check, 30 s after start,
        // would delete them mid-test. The test broker defers it past any test run.
        broker = new EmbeddedKafkaBroker(dataDir, FreePorts.next(), FreePorts.next())
                .withSetting("log.initial.task.delay.ms", Long.toString(Duration.ofMinutes(30).toMillis()))
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
