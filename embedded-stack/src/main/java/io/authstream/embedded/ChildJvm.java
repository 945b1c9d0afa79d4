package io.authstream.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A main class of ours run in its own JVM on this JVM's class path: for a hard stop that is
 * really one ({@link #kill()}: SIGKILL, no shutdown hook), and for memory and CPU that are the
 * child's own, read from {@code /proc} (peak resident set size {@code VmHWM}, user + system CPU).
 *
 * <p>Output goes to a log file, appended, so restarts of one app share it; waiting for a line
 * looks only at what this start wrote. A test gives it a file from test-records' {@code TestOutput},
 * where the suite audit reads it.
 */
public final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final long logStart;

    private ChildJvm(String name, Process process, Path log, long logStart) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.logStart = logStart;
    }

    /** Starts {@code main} with {@code args}, JVM options (e.g. a heap cap) and extra environment variables. */
    public static ChildJvm start(
            Class<?> main, List<String> jvmOptions, Map<String, String> env, Path log, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Files.createDirectories(log.toAbsolutePath().getParent());
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        return new ChildJvm(main.getSimpleName(), builder.start(), log, logStart);
    }

    /** Waits until this start's output holds {@code line}; fails if the child exits or the time runs out. */
    public ChildJvm awaitOutput(String line, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (output().contains(line)) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name + " exited with " + process.exitValue() + " before it was ready; see " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(name + " did not print \"" + line + "\" within " + timeout + "; see " + log);
    }

    /** Waits for the child to end by itself and returns its output; fails on a non-zero exit or timeout. */
    public String awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException(name + " did not finish within " + timeout + "; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed with exit " + process.exitValue() + "; see " + log);
        }
        return output();
    }

    /** What this start has written to the log so far. */
    public String output() throws IOException {
        try (InputStream in = Files.newInputStream(log)) {
            in.skipNBytes(logStart);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    public Path log() {
        return log;
    }

    /** Peak resident set size so far, in MiB ({@code VmHWM} of /proc/PID/status). */
    public double peakRssMiB() throws IOException {
        return statusMiB("VmHWM");
    }

    /** Resident set size now, in MiB ({@code VmRSS} of /proc/PID/status). */
    public double rssMiB() throws IOException {
        return statusMiB("VmRSS");
    }

    /** For tools that act on the process ({@code jcmd}). */
    public long pid() {
        return process.pid();
    }

    private double statusMiB(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no " + field + " in /proc/" + process.pid() + "/status");
    }

    /** CPU seconds (user + system) the child has used so far. */
    public double cpuSeconds() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        // Fields after the command name, which is in parentheses and may hold spaces.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }

    /** SIGKILL, and waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** A clean stop (SIGTERM: the app's shutdown hook runs), forcibly after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            // Asked to stop while waiting: the child still goes, and the interrupt is kept for the caller.
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
