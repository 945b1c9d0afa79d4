package io.authstream.opscli;

import io.authstream.schemas.serde.AvroSerdeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the broker and the registry are, and the client settings of {@code --command-config}
 * (security.protocol, sasl.*, ssl.*; basic.auth.user.info for the registry). Nothing of that file
 * is ever printed.
 */
final class Connection {

    @Option(
            names = "--bootstrap-servers",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka (default: $KAFKA_BOOTSTRAP_SERVERS, else ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(
            names = "--registry-url",
            defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://localhost:8081}",
            description = "Schema registry (default: $SCHEMA_REGISTRY_URL, else ${DEFAULT-VALUE}).")
    String registryUrl;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "A properties file of further Kafka client settings (security.protocol, sasl.*, ssl.*) "
                    + "and the registry's basic.auth.user.info; never printed.")
    Path commandConfig;

    private Properties file() {
        Properties props = new Properties();
        if (commandConfig != null) {
            try (InputStream in = Files.newInputStream(commandConfig)) {
                props.load(in);
            } catch (IOException e) {
                // The message names the file, never its content.
                throw new UncheckedIOException("cannot read --command-config " + commandConfig, e);
            }
        }
        return props;
    }

    /** Kafka client settings: the file's (less the registry's), then the bootstrap servers. */
    Map<String, Object> client() {
        Map<String, Object> config = new HashMap<>();
        file().forEach((k, v) -> {
            String key = k.toString();
            if (!key.startsWith("basic.auth.") && !key.startsWith("schema.registry.")) {
                config.put(key, v.toString().trim());
            }
        });
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return config;
    }

    /** Serde settings: the registry URL and, from the file, its credentials. */
    Map<String, Object> serde() {
        Map<String, Object> config = new HashMap<>();
        Properties props = file();
        for (String key : new String[] {
            AvroSerdeConfig.BASIC_AUTH_USER_INFO,
            AvroSerdeConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
            AvroSerdeConfig.REQUEST_TIMEOUT_MS
        }) {
            if (props.getProperty(key) != null) {
                config.put(key, props.getProperty(key).trim());
            }
        }
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl);
        return config;
    }
}
