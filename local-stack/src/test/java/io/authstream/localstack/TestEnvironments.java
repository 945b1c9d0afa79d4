package io.authstream.localstack;

import io.authstream.enrich.testing.TestDatabases;
import io.authstream.gateway.GatewayConfig;
import io.authstream.schemas.Topics;
import io.authstream.teststack.SecretSettings;
import io.authstream.teststack.TestStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The environment the end-to-end tests give the local apps: free ports, a fresh application id and table, short waits. */
final class TestEnvironments {

    private TestEnvironments() {}

    /** A mutable map; add the route credentials. */
    static Map<String, String> pipeline(String name) {
        Map<String, String> env = new HashMap<>();
        env.put("GATEWAY_PORT", "0");
        env.put("STREAMS_HTTP_PORT", "0");
        env.put("STREAMS_APPLICATION_ID", TestStack.uniqueTopic(name));
        env.put("REORDER_GRACE_MS", "500");
        env.put("REORDER_PUNCTUATE_MS", "100");
        env.put("KAFKA_STREAMS_COMMIT_INTERVAL_MS", "100");
        env.put("DYNAMODB_TABLE", TestStack.uniqueTopic("Users"));
        env.put("GEOIP_DATABASE", TestDatabases.geoIpDatabaseSetting());
        // No fixed ports: a test that scrapes them gives free ones.
        env.put("CONNECT_METRICS_PORT", "0");
        env.put("AUTH0_PROVISIONING_METRICS_PORT", "0");
        return env;
    }

    /**
     * {@link #pipeline} with the Log Streams route open to {@code authorization} (the whole
     * Authorization header), registered as a secret for the log checks.
     */
    static Map<String, String> logStreamPipeline(String name, String authorization) {
        Map<String, String> env = pipeline(name);
        env.put("AUTH0_LOG_STREAM_AUTHORIZATION", authorization);
        SecretSettings.register(env, GatewayConfig.DEFINITION);
        return env;
    }

    /**
     * Points the Streams app of {@code env} (its consumer group, the application id) at the
     * current end of auth.events.raw, as {@code kafka-streams-application-reset --to-latest}
     * would, so it reads only the events posted after this call. Test classes share the stack's
     * raw topic, and a scenario with fixed event times must not be mixed with the events other
     * classes left there at other times: stream time would jump back and forth between them.
     */
    static void startStreamsAtEndOfRawTopic(TestStack stack, Map<String, String> env) throws Exception {
        String raw = Topics.AUTH_EVENTS_RAW.name();
        try (Admin admin = stack.admin()) {
            Map<TopicPartition, OffsetSpec> latest =
                    admin.describeTopics(List.of(raw)).allTopicNames().get().get(raw).partitions().stream()
                            .collect(Collectors.toMap(
                                    p -> new TopicPartition(raw, p.partition()), p -> OffsetSpec.latest()));
            Map<TopicPartition, OffsetAndMetadata> ends = admin.listOffsets(latest).all().get().entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey,
                            e -> new OffsetAndMetadata(e.getValue().offset())));
            admin.alterConsumerGroupOffsets(env.get("STREAMS_APPLICATION_ID"), ends)
                    .all()
                    .get();
        }
    }

    static LocalEndpoints endpoints(TestStack stack) {
        return new LocalEndpoints(stack.bootstrapServers(), stack.schemaRegistryUrl(), stack.dynamoDbEndpoint());
    }
}
