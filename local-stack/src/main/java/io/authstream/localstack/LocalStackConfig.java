package io.authstream.localstack;

import io.authstream.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settings of the local stack, from environment variables, overridden by {@code --name=value}
 * arguments. Every key, its default and meaning is in {@link #KEYS}; all problems are reported
 * together at start.
 */
public final class LocalStackConfig {

    /** Environment variable → (argument, default, description). */
    record Key(String env, String argument, String defaultValue, String description) {}

    static final List<Key> KEYS = List.of(
            new Key("AUTHSTREAM_DATA_DIR", "data-dir", "data",
                    "Directory for Kafka logs, DynamoDB tables and Streams state, reused on restart; "
                            + "connect-secrets/ in it holds the connectors' secrets while the stack runs."),
            new Key("AUTHSTREAM_KAFKA_PORT", "kafka-port", "9092", "Kafka client port (bootstrap servers 127.0.0.1:<port>)."),
            new Key("AUTHSTREAM_KAFKA_CONTROLLER_PORT", "kafka-controller-port", "9093", "KRaft controller port."),
            new Key("AUTHSTREAM_SCHEMA_REGISTRY_PORT", "schema-registry-port", "8081", "Schema Registry HTTP port."),
            new Key("AUTHSTREAM_DYNAMODB_PORT", "dynamodb-port", "8000", "DynamoDB Local HTTP port."),
            new Key("AUTHSTREAM_TOPIC_PARTITIONS", "topic-partitions", "3", "Partitions of each catalogue topic created."));

    private LocalStackConfig() {}

    /**
     * @throws IllegalArgumentException naming every bad value and unknown argument
     */
    public static EmbeddedStack.Settings parse(Map<String, String> env, String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Key key : KEYS) {
            values.put(key.argument(), env.getOrDefault(key.env(), key.defaultValue()));
        }
        Map<String, String> arguments = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                problems.add("argument " + arg + " is not --name=value");
                continue;
            }
            arguments.put(arg.substring(2, eq), arg.substring(eq + 1));
        }
        arguments.forEach((name, value) -> {
            if (values.containsKey(name)) {
                values.put(name, value);
            } else {
                problems.add("unknown argument --" + name + " (known: "
                        + String.join(", ", KEYS.stream().map(k -> "--" + k.argument()).toList()) + ")");
            }
        });
        int kafka = port(values, "kafka-port", problems);
        int controller = port(values, "kafka-controller-port", problems);
        int registry = port(values, "schema-registry-port", problems);
        int dynamo = port(values, "dynamodb-port", problems);
        int partitions = number(values, "topic-partitions", 1, 1000, problems);
        if (new java.util.HashSet<>(List.of(kafka, controller, registry, dynamo)).size() < 4 && problems.isEmpty()) {
            problems.add("the four ports must differ, got kafka " + kafka + ", controller " + controller
                    + ", schema registry " + registry + ", dynamodb " + dynamo);
        }
        String dataDir = values.get("data-dir");
        if (dataDir.isBlank()) {
            problems.add("data-dir (AUTHSTREAM_DATA_DIR) must not be empty");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid local stack settings:\n  - " + String.join("\n  - ", problems));
        }
        return new EmbeddedStack.Settings(Path.of(dataDir).toAbsolutePath(), kafka, controller, registry, dynamo, partitions);
    }

    private static int port(Map<String, String> values, String name, List<String> problems) {
        return number(values, name, 1, 65535, problems);
    }

    private static int number(Map<String, String> values, String name, int min, int max, List<String> problems) {
        String value = values.get(name);
        String env = KEYS.stream().filter(k -> k.argument().equals(name)).findFirst().orElseThrow().env();
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < min || parsed > max) {
                problems.add(name + " (" + env + ") must be " + min + "-" + max + ", got " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            problems.add(name + " (" + env + ") must be a number, got '" + value + "'");
            return min;
        }
    }

    /** Usage text listing every setting. */
    static String usage() {
        StringBuilder text = new StringBuilder("Settings (environment variable / argument, default):\n");
        for (Key key : KEYS) {
            text.append(String.format("  %-34s --%-22s %-6s %s%n", key.env(), key.argument() + "=", key.defaultValue(),
                    key.description()));
        }
        return text.toString();
    }
}
