package io.authstream.localstack;

import io.authstream.embedded.EmbeddedStack;
import java.util.HashMap;
import java.util.Map;

/** Where the apps of the local stack find Kafka, the schema registry and DynamoDB Local. */
record LocalEndpoints(String bootstrapServers, String schemaRegistryUrl, String dynamoDbEndpoint) {

    static LocalEndpoints of(EmbeddedStack stack) {
        return new LocalEndpoints(stack.bootstrapServers(), stack.schemaRegistryUrl(), stack.dynamoDbEndpoint());
    }

    /**
     * The user's environment with the connection settings pointed here: the apps read the same
     * variables as in production, only their values come from the embedded stack.
     */
    Map<String, String> applyTo(Map<String, String> env) {
        Map<String, String> pointed = new HashMap<>(env);
        pointed.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        pointed.put("SCHEMA_REGISTRY_URL", schemaRegistryUrl);
        pointed.put("DYNAMODB_ENDPOINT", dynamoDbEndpoint);
        return pointed;
    }
}
