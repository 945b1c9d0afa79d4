package io.authstream.streams;

import io.authstream.schemas.GeneratedClasses;
import java.util.concurrent.CountDownLatch;

/** Runs the Streams app from environment settings until SIGTERM/Ctrl-C, then closes cleanly. */
public final class StreamsMain {

    private StreamsMain() {}

    public static void main(String[] args) throws InterruptedException {
        // The app's logging config has its own name, so that embedding the app (the local stack) brings
        // no second logback.xml; -Dlogback.configurationFile still wins.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "authstream-streams-logback.xml");
        }
        StreamsAppConfig config;
        try {
            config = StreamsAppConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        GeneratedClasses.trust();
        System.out.println("starting " + config);
        StreamsApp app = StreamsApp.start(config);
        System.out.println("health, metrics and analytics on " + app.httpUrl() + " (/health/live, /health/ready, /metrics, /analytics/{metric})");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "streams-shutdown"));
        stopped.await();
    }
}
