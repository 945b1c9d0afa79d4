package io.authstream.bench;

import io.authstream.embedded.EmbeddedStack;
import io.authstream.embedded.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A fresh embedded stack (Kafka, registry, DynamoDB Local, every topic with 3 partitions unless told) on free ports, in a new temp directory. */
final class BenchStack {

    private BenchStack() {}

    static EmbeddedStack start(Consumer<String> progress) throws IOException {
        return start(progress, 3);
    }

    /** With {@code partitions} partitions per catalogue topic. */
    static EmbeddedStack start(Consumer<String> progress, int partitions) throws IOException {
        Path data = Files.createTempDirectory("authstream-bench");
        progress.accept("starting the embedded stack in " + data + " ...");
        return new EmbeddedStack(
                        new EmbeddedStack.Settings(
                                data,
                                FreePorts.next(),
                                FreePorts.next(),
                                FreePorts.next(),
                                FreePorts.next(),
                                partitions),
                        progress)
                .start();
    }
}
