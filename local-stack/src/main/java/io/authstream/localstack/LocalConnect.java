package io.authstream.localstack;

import io.authstream.connect.dynamodb.DynamoDbSinkConnector;
import io.authstream.embedded.EmbeddedDynamoDb;
import io.authstream.embedded.connect.EmbeddedConnectWorker;
import io.authstream.schemas.Topics;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * A Kafka Connect worker inside the local stack running the DynamoDB Users sink: auth.profiles
 * → DynamoDB Local's {@code DYNAMODB_TABLE} (default Users), records it cannot write to
 * auth.events.deadletter.
 */
final class LocalConnect implements AutoCloseable {

    static final String USERS_SINK = "users-sink";

    private final EmbeddedConnectWorker worker;
    private final String table;

    private LocalConnect(EmbeddedConnectWorker worker, String table) {
        this.worker = worker;
        this.table = table;
    }

    static LocalConnect start(Map<String, String> env, LocalEndpoints endpoints, String groupId) {
        String table = env.getOrDefault("DYNAMODB_TABLE", "Users");
        EmbeddedConnectWorker worker = new EmbeddedConnectWorker(endpoints.bootstrapServers(), groupId);
        try {
            Map<String, String> config = new HashMap<>();
            config.put("connector.class", DynamoDbSinkConnector.class.getName());
            config.put("tasks.max", "1");
            config.put("topics", Topics.AUTH_PROFILES.name());
            config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
            config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
            config.put("dynamodb.table", table);
            config.put("dynamodb.endpoint", endpoints.dynamoDbEndpoint());
            config.put("dynamodb.create.table", "true");
            config.put("aws.region", EmbeddedDynamoDb.REGION.id());
            config.put("aws.access.key.id", EmbeddedDynamoDb.LOCAL_ACCESS_KEY);
            config.put("aws.secret.access.key", EmbeddedDynamoDb.LOCAL_SECRET_KEY);
            config.put("schema.registry.url", endpoints.schemaRegistryUrl());
            config.put("errors.tolerance", "all");
            config.put("errors.deadletterqueue.topic.name", Topics.AUTH_EVENTS_DEADLETTER.name());
            config.put("errors.deadletterqueue.topic.replication.factor", "1");
            config.put("errors.deadletterqueue.context.headers.enable", "true");
            HttpResponse<String> answer = worker.putConnector(USERS_SINK, config);
            if (answer.statusCode() / 100 != 2) {
                throw new IllegalStateException("the Connect worker refused the " + USERS_SINK + " connector: " + answer.body());
            }
            worker.awaitRunning(USERS_SINK, 1);
            return new LocalConnect(worker, table);
        } catch (Exception e) {
            worker.close();
            throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    String describe() {
        return worker.url() + "  connector " + USERS_SINK + ": auth.profiles -> DynamoDB table " + table;
    }

    @Override
    public void close() {
        worker.close();
    }
}
