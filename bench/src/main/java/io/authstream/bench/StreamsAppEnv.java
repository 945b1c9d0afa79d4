package io.authstream.bench;

import io.authstream.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The environment the benchmarks give the Streams app: the stack's Kafka and registry, its own id, state and port. */
final class StreamsAppEnv {

    private StreamsAppEnv() {}

    /** A mutable map, for a benchmark to add its own settings (grace, enrichment off, ...). */
    static Map<String, String> of(EmbeddedStack stack, String applicationId, Path stateDir, int httpPort) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        env.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        env.put("STREAMS_APPLICATION_ID", applicationId);
        env.put("STREAMS_STATE_DIR", stateDir.toString());
        env.put("STREAMS_HTTP_PORT", Integer.toString(httpPort));
        return env;
    }

    /** {@code GEOIP_DATABASE} for the full topology as deployed: the DB-IP City Lite files from the build. */
    static String geoIpDatabases() {
        return String.join(
                ",", EnrichmentInputs.databases().stream().map(Path::toString).toList());
    }
}
