package io.authstream.streams.dynamo;

import io.authstream.schemas.GeneratedClasses;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Runs the {@code auth.profiles} → DynamoDB {@code Users} writer until SIGTERM/Ctrl-C; settings in {@link ProfileTableWriterConfig}. */
public final class ProfileTableWriterMain {

    private ProfileTableWriterMain() {}

    public static void main(String[] args) {
        ProfileTableWriterConfig config;
        try {
            config = ProfileTableWriterConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        GeneratedClasses.trust();
        System.out.println("starting " + config);
        try (DynamoDbClient dynamo = config.dynamoDbClient()) {
            ProfileTableWriter writer = ProfileTableWriter.create(config, dynamo);
            Thread main = Thread.currentThread();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                writer.stop();
                try {
                    main.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "writer-shutdown"));
            writer.run();
        }
    }
}
