package io.authstream.embedded;

import io.authstream.registry.RegistryConfig;
import io.authstream.registry.SchemaRegistryServer;
import io.authstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The embedded default: a KRaft Kafka node, the schema registry and DynamoDB Local on loopback,
 * with every catalogue topic created. State lives under one data directory
 * ({@code kafka/}, {@code dynamodb/}), so a restart on the same directory keeps topics, schema
 * ids and tables.
 */
public final class EmbeddedStack implements AutoCloseable {

    /**
     * @param dataDir where Kafka logs and DynamoDB tables live
     * @param partitions partitions of each catalogue topic created
     */
    public record Settings(
            Path dataDir, int kafkaPort, int controllerPort, int registryPort, int dynamoDbPort, int partitions) {

        public Settings {
            for (var port : Map.of(
                            "kafka",
                            kafkaPort,
                            "controller",
                            controllerPort,
                            "registry",
                            registryPort,
                            "dynamodb",
                            dynamoDbPort)
                    .entrySet()) {
                if (port.getValue() < 1 || port.getValue() > 65535) {
                    throw new IllegalArgumentException(port.getKey() + " port must be 1-65535, got " + port.getValue());
                }
            }
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
            }
        }
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedKafkaBroker kafka;
    private SchemaRegistryServer registry;
    private EmbeddedDynamoDb dynamoDb;

    public EmbeddedStack(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public EmbeddedStack start() {
        try {
            progress.accept("starting Kafka (KRaft) on 127.0.0.1:" + settings.kafkaPort() + " ...");
            kafka = new EmbeddedKafkaBroker(
                            settings.dataDir().resolve("kafka"), settings.kafkaPort(), settings.controllerPort())
                    .start(Duration.ofSeconds(60));
            started.push(kafka);

            progress.accept("starting the schema registry on 127.0.0.1:" + settings.registryPort() + " ...");
            registry = new SchemaRegistryServer(
                            RegistryConfig.of("127.0.0.1", settings.registryPort(), kafka.bootstrapServers()))
                    .start();
            started.push(registry);

            progress.accept("starting DynamoDB Local on 127.0.0.1:" + settings.dynamoDbPort() + " ...");
            dynamoDb = new EmbeddedDynamoDb(
                            settings.dynamoDbPort(),
                            Optional.of(settings.dataDir().resolve("dynamodb")))
                    .start();
            started.push(dynamoDb);

            try (Admin admin =
                    Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                TopicCreator.Result topics =
                        TopicCreator.createMissingAndAlign(admin, Topics.ALL, settings.partitions(), (short) 1);
                progress.accept(
                        topics.created().isEmpty()
                                ? "all " + Topics.ALL.size() + " topics already exist"
                                : "created topics " + String.join(", ", topics.created()));
                if (!topics.aligned().isEmpty()) {
                    progress.accept(
                            "gave existing topics the catalogue's configs: " + String.join("; ", topics.aligned()));
                }
            }
            return this;
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return registry.url();
    }

    public String dynamoDbEndpoint() {
        return dynamoDb.endpoint();
    }

    public Settings settings() {
        return settings;
    }

    /** Stops everything in reverse start order; Kafka last, so the registry's producer closes first. */
    @Override
    public void close() {
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the embedded stack failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
