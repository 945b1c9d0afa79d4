package io.authstream.config;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/** What every app's {@code main} does around its own start: logging file, settings or exit, run until SIGTERM/Ctrl-C. */
public final class AppMain {

    private AppMain() {}

    /**
     * Points logback at the app's own file, unless {@code -Dlogback.configurationFile} names
     * another: the file has its own name so that an app embedded in another (the local stack)
     * brings no second logback.xml. Call first, before anything logs.
     */
    public static void useLoggingConfig(String resource) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", resource);
        }
    }

    /** The settings, or every problem on stderr and exit code 2. */
    public static <T> T settingsOrExit(Supplier<T> settings) {
        try {
            return settings.get();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    /** Blocks until the JVM is asked to stop, then closes {@code parts} in the order given. */
    public static void runUntilStopped(String name, List<AutoCloseable> parts) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            for (AutoCloseable part : parts) {
                                try {
                                    part.close();
                                } catch (Exception e) {
                                    System.err.println("closing " + part + " failed: " + e);
                                }
                            }
                            stopped.countDown();
                        },
                        name + "-shutdown"));
        stopped.await();
    }
}
