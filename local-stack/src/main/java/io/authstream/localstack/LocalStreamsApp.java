package io.authstream.localstack;

import io.authstream.embedded.EmbeddedDynamoDb;
import io.authstream.streams.StreamsApp;
import io.authstream.streams.StreamsAppConfig;
import io.authstream.streams.dynamo.ProfileTableWriter;
import io.authstream.streams.dynamo.ProfileTableWriterConfig;
import java.nio.file.Path;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The Streams app and the DynamoDB writer that follows its {@code auth.profiles}, inside the
 * local stack, configured from the same environment variables as when run on their own.
 */
final class LocalStreamsApp implements AutoCloseable {

    private final StreamsApp app;
    private final DynamoDbClient dynamo;
    private final ProfileTableWriter writer;
    private final Thread writerThread;
    private final String table;

    private LocalStreamsApp(StreamsApp app, DynamoDbClient dynamo, ProfileTableWriter writer, String table) {
        this.app = app;
        this.dynamo = dynamo;
        this.writer = writer;
        this.table = table;
        this.writerThread = new Thread(writer::run, "dynamodb-writer");
        writerThread.start();
    }

    /**
     * @param stateDir where the Streams state lives unless {@code STREAMS_STATE_DIR} says otherwise
     * @throws IllegalArgumentException when the environment holds an invalid setting
     */
    static LocalStreamsApp start(Map<String, String> env, LocalEndpoints endpoints, Path stateDir) {
        Map<String, String> pointed = endpoints.applyTo(env);
        pointed.putIfAbsent("STREAMS_STATE_DIR", stateDir.toString());
        pointed.put("DYNAMODB_CREATE_TABLE", "true");
        StreamsAppConfig streamsConfig = StreamsAppConfig.fromEnvironment(pointed);
        ProfileTableWriterConfig writerConfig = ProfileTableWriterConfig.fromEnvironment(pointed);
        DynamoDbClient dynamo = EmbeddedDynamoDb.clientFor(endpoints.dynamoDbEndpoint());
        ProfileTableWriter writer;
        try {
            writer = ProfileTableWriter.create(writerConfig, dynamo);
        } catch (RuntimeException e) {
            dynamo.close();
            throw e;
        }
        StreamsApp app;
        try {
            app = StreamsApp.start(streamsConfig);
        } catch (RuntimeException e) {
            writer.close();
            dynamo.close();
            throw e;
        }
        return new LocalStreamsApp(app, dynamo, writer, writerConfig.table());
    }

    String httpUrl() {
        return app.httpUrl();
    }

    String describe() {
        return app.httpUrl() + "  (/health/ready, /metrics, /analytics/{metric}); auth.profiles -> DynamoDB table " + table;
    }

    @Override
    public void close() {
        writer.stop();
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dynamo.close();
        app.close();
    }
}
