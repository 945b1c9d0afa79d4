package io.authstream.localstack;

import io.authstream.embedded.junit.TestStack;
import io.authstream.enrich.testing.TestDatabases;
import java.util.HashMap;
import java.util.Map;

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
        return env;
    }

    static LocalEndpoints endpoints(TestStack stack) {
        return new LocalEndpoints(stack.bootstrapServers(), stack.schemaRegistryUrl(), stack.dynamoDbEndpoint());
    }
}
