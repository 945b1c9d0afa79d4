package io.authstream.localstack;

import io.authstream.streams.StreamsMain;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Streams app ({@link StreamsMain}) in its own JVM on the test class path, so that
 * {@link #kill()} is a real hard stop (SIGKILL: no shutdown hook, no commit, no leaving the
 * group), as bench's ChildJvm does for the benchmarks.
 */
final class StreamsAppProcess implements AutoCloseable {

    private static final String READY = "health, metrics and analytics on ";

    private final Process process;
    private final Path log;

    private StreamsAppProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the app with {@code env} (the same variables as in production) and waits until it serves HTTP. */
    static StreamsAppProcess start(Map<String, String> env, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), StreamsMain.class.getName()));
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        StreamsAppProcess app = new StreamsAppProcess(builder.start(), log);
        app.awaitReady(Duration.ofSeconds(60));
        return app;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(READY)) {
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the Streams app exited with " + process.exitValue() + "; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the Streams app was not up within " + timeout + "; see " + log);
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    Path log() {
        return log;
    }

    /** A clean stop (SIGTERM: the app's shutdown hook closes it), forcibly after 30 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
