package io.authstream.streams;

import io.authstream.config.AppMain;
import io.authstream.schemas.GeneratedClasses;
import java.util.List;

/** Runs the Streams app from environment settings until SIGTERM/Ctrl-C, then closes cleanly. */
public final class StreamsMain {

    private StreamsMain() {}

    public static void main(String[] args) throws InterruptedException {
        AppMain.useLoggingConfig("authstream-streams-logback.xml");
        StreamsAppConfig config = AppMain.settingsOrExit(() -> StreamsAppConfig.fromEnvironment(System.getenv()));
        GeneratedClasses.trust();
        System.out.println("starting " + config);
        StreamsApp app = StreamsApp.start(config);
        System.out.println("health, metrics and analytics on " + app.httpUrl()
                + " (/health/live, /health/ready, /metrics, /analytics/{metric})");
        System.out.println("dashboard on " + app.dashboardUrl());
        AppMain.runUntilStopped("streams", List.of(app));
    }
}
