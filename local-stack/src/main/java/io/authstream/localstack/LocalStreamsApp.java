package io.authstream.localstack;

import io.authstream.streams.StreamsApp;
import io.authstream.streams.StreamsAppConfig;
import java.nio.file.Path;
import java.util.Map;

/** The Streams app inside the local stack, configured from the same environment variables as when run on its own. */
final class LocalStreamsApp implements AutoCloseable {

    private final StreamsApp app;

    private LocalStreamsApp(StreamsApp app) {
        this.app = app;
    }

    /**
     * @param stateDir where the Streams state lives unless {@code STREAMS_STATE_DIR} says otherwise
     * @throws IllegalArgumentException when the environment holds an invalid setting
     */
    static LocalStreamsApp start(Map<String, String> env, LocalEndpoints endpoints, Path stateDir) {
        Map<String, String> pointed = endpoints.applyTo(env);
        pointed.putIfAbsent("STREAMS_STATE_DIR", stateDir.toString());
        return new LocalStreamsApp(StreamsApp.start(StreamsAppConfig.fromEnvironment(pointed)));
    }

    String httpUrl() {
        return app.httpUrl();
    }

    String describe() {
        return app.httpUrl() + "  (/health/ready, /metrics, /analytics/{metric})";
    }

    @Override
    public void close() {
        app.close();
    }
}
