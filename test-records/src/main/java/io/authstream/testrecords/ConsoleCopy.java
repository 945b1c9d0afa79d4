package io.authstream.testrecords;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Copies everything this test JVM writes to {@code System.out} and {@code System.err} (log lines,
 * which logback's console appender writes there; jqwik's reports; plain prints) into a
 * {@link TestOutput} file, for the suite audit.
 *
 * <p>It starts when the JUnit launcher session opens, after surefire has put its capturing
 * streams in place (they still get everything, so the console looks as before), and copies until
 * the JVM exits: surefire's own per-class output files ({@code redirectTestOutputToFile}) lose
 * what a background thread or a shutdown hook prints once its class has ended. The first line is
 * written at once, so every test JVM of a build leaves a file even if nothing else prints.
 *
 * <p>Registered in {@code META-INF/services}, so it runs in every test JVM with this module on
 * its class path; outside a Maven build it does nothing.
 */
public final class ConsoleCopy implements LauncherSessionListener {

    private static final AtomicBoolean COPYING = new AtomicBoolean();

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (!TestOutput.inBuild() || !COPYING.compareAndSet(false, true)) {
            return;
        }
        try {
            Path file = TestOutput.newFile("console");
            // Unbuffered, so a JVM that exits, or is killed, has lost nothing it printed.
            OutputStream copy = new FileOutputStream(file.toFile(), true);
            copy.write(("console of test JVM " + ProcessHandle.current().pid() + " in " + System.getProperty("user.dir")
                            + ", copied from " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            System.setOut(new PrintStream(new TeeOutputStream(System.out, copy), true, Charset.defaultCharset()));
            System.setErr(new PrintStream(new TeeOutputStream(System.err, copy), true, Charset.defaultCharset()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy this test JVM's console for the secret audit", e);
        }
    }
}
