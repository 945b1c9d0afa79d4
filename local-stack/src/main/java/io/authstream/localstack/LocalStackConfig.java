package io.authstream.localstack;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.config.SettingsDef;
import io.authstream.embedded.EmbeddedStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Settings of the local stack, from environment variables, overridden by {@code --name=value}
 * arguments ({@code AUTHSTREAM_KAFKA_PORT} is {@code --kafka-port}). All problems are reported
 * together at start.
 */
public final class LocalStackConfig {

    public static final Setting<String> DATA_DIR = Setting.text(
                    "AUTHSTREAM_DATA_DIR",
                    "Directory for Kafka logs, DynamoDB tables and Streams state, reused on restart; connect-secrets/ in it holds "
                            + "the connectors' secrets while the stack runs.")
            .defaultValue("data");
    public static final Setting<Integer> KAFKA_PORT = Setting.integer(
                    "AUTHSTREAM_KAFKA_PORT", 1, 65535, "Kafka client port (bootstrap servers 127.0.0.1:<port>).")
            .defaultValue(9092);
    public static final Setting<Integer> CONTROLLER_PORT = Setting.integer(
                    "AUTHSTREAM_KAFKA_CONTROLLER_PORT", 1, 65535, "KRaft controller port.")
            .defaultValue(9093);
    public static final Setting<Integer> REGISTRY_PORT = Setting.integer(
                    "AUTHSTREAM_SCHEMA_REGISTRY_PORT", 1, 65535, "Schema Registry HTTP port.")
            .defaultValue(8081);
    public static final Setting<Integer> DYNAMODB_PORT = Setting.integer(
                    "AUTHSTREAM_DYNAMODB_PORT", 1, 65535, "DynamoDB Local HTTP port.")
            .defaultValue(8000);
    public static final Setting<Integer> SMTP_PORT = Setting.integer(
                    "AUTHSTREAM_SMTP_PORT",
                    1,
                    65535,
                    "Port of the in-process mail server (GreenMail) that the welcome-mail sink sends to.")
            .defaultValue(3025);
    public static final Setting<Integer> IMAP_PORT = Setting.integer(
                    "AUTHSTREAM_IMAP_PORT", 1, 65535, "IMAP port of the mail server, to read the welcome mails.")
            .defaultValue(3143);
    public static final Setting<Integer> POP3_PORT = Setting.integer(
                    "AUTHSTREAM_POP3_PORT", 1, 65535, "POP3 port of the mail server, to read the welcome mails.")
            .defaultValue(3110);
    public static final Setting<Integer> TOPIC_PARTITIONS = Setting.integer(
                    "AUTHSTREAM_TOPIC_PARTITIONS", 1, 1000, "Partitions of each catalogue topic created.")
            .defaultValue(3);

    public static final SettingsDef DEFINITION = SettingsDef.of(
                    "local stack",
                    List.of(
                            DATA_DIR,
                            KAFKA_PORT,
                            CONTROLLER_PORT,
                            REGISTRY_PORT,
                            DYNAMODB_PORT,
                            SMTP_PORT,
                            IMAP_PORT,
                            POP3_PORT,
                            TOPIC_PARTITIONS))
            .ownPrefixes("AUTHSTREAM_")
            // The test harness's own variables (the Kafka backend of the tests).
            .exceptPrefixes("AUTHSTREAM_TEST_")
            .check(
                    List.of(KAFKA_PORT, CONTROLLER_PORT, REGISTRY_PORT, DYNAMODB_PORT, SMTP_PORT, IMAP_PORT, POP3_PORT),
                    settings -> {
                        List<Integer> ports = List.of(
                                settings.get(KAFKA_PORT),
                                settings.get(CONTROLLER_PORT),
                                settings.get(REGISTRY_PORT),
                                settings.get(DYNAMODB_PORT),
                                settings.get(SMTP_PORT),
                                settings.get(IMAP_PORT),
                                settings.get(POP3_PORT));
                        return new HashSet<>(ports).size() == ports.size()
                                ? Optional.empty()
                                : Optional.of("the ports must differ, got kafka " + ports.get(0) + ", controller "
                                        + ports.get(1) + ", schema registry " + ports.get(2) + ", dynamodb "
                                        + ports.get(3) + ", smtp " + ports.get(4) + ", imap " + ports.get(5)
                                        + ", pop3 " + ports.get(6));
                    });

    private LocalStackConfig() {}

    /**
     * @throws IllegalArgumentException naming every bad value and unknown argument
     */
    public static EmbeddedStack.Settings parse(Map<String, String> env, String[] args) {
        Settings settings = read(env, args);
        return new EmbeddedStack.Settings(
                Path.of(settings.get(DATA_DIR)).toAbsolutePath(),
                settings.get(KAFKA_PORT),
                settings.get(CONTROLLER_PORT),
                settings.get(REGISTRY_PORT),
                settings.get(DYNAMODB_PORT),
                settings.get(TOPIC_PARTITIONS));
    }

    /** The mail server's ports: SMTP, IMAP, POP3. */
    record MailPorts(int smtp, int imap, int pop3) {}

    /** @throws IllegalArgumentException as {@link #parse} */
    static MailPorts mailPorts(Map<String, String> env, String[] args) {
        Settings settings = read(env, args);
        return new MailPorts(settings.get(SMTP_PORT), settings.get(IMAP_PORT), settings.get(POP3_PORT));
    }

    private static Settings read(Map<String, String> env, String[] args) {
        Map<String, String> values = new HashMap<>(env);
        List<String> problems = new ArrayList<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                problems.add("argument " + arg + " is not --name=value");
                continue;
            }
            String name = arg.substring(2, eq);
            Optional<Setting<?>> setting = DEFINITION.settings().stream()
                    .filter(s -> argument(s).equals(name))
                    .findFirst();
            if (setting.isPresent()) {
                values.put(setting.get().name(), arg.substring(eq + 1));
            } else {
                problems.add("unknown argument --" + name + " (known: "
                        + String.join(
                                ", ",
                                DEFINITION.settings().stream()
                                        .map(s -> "--" + argument(s))
                                        .toList()) + ")");
            }
        }
        return DEFINITION.read(values, problems);
    }

    /** {@code AUTHSTREAM_KAFKA_PORT} → {@code kafka-port}. */
    static String argument(Setting<?> setting) {
        return setting.name()
                .substring("AUTHSTREAM_".length())
                .toLowerCase(Locale.ROOT)
                .replace('_', '-');
    }

    /** Usage text listing every setting. */
    static String usage() {
        StringBuilder text = new StringBuilder("Settings (environment variable / argument, default):\n");
        for (Setting<?> setting : DEFINITION.settings()) {
            text.append(String.format(
                    "  %-34s --%-22s %-6s %s%n",
                    setting.name(),
                    argument(setting) + "=",
                    setting.defaultValue().orElse(""),
                    setting.documentation()));
        }
        return text.toString();
    }
}
