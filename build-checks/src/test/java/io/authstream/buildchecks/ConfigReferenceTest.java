package io.authstream.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import io.authstream.config.Setting;
import io.authstream.config.SettingsDef;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

/**
 * Every setting of every app and every connector is documented, and {@code docs/configuration.md}
 * is what the declarations say: the file is generated from them, and this test fails when the
 * committed one is stale. Regenerate with {@code ./mvnw -pl build-checks -am verify
 * -Dconfig.reference.update=true}.
 *
 * <p>The declarations are found, not listed: every {@code public static final SettingsDef} and
 * {@code ConfigDef} field of our main classes, so a new app or connector is covered without
 * touching this test.
 */
class ConfigReferenceTest {

    private static final Path ROOT = Path.of(System.getProperty("authstream.root", ".."));
    private static final Path REFERENCE = ROOT.resolve("docs").resolve("configuration.md");

    @Test
    void everySettingIsDocumentedAndTheReferenceIsCurrent() throws Exception {
        Map<String, SettingsDef> apps = new TreeMap<>();
        Map<String, ConfigDef> plugins = new TreeMap<>();
        for (JavaClass type : MainClasses.all()) {
            for (Field field : declaredFields(type)) {
                int modifiers = field.getModifiers();
                if (!Modifier.isPublic(modifiers) || !Modifier.isStatic(modifiers) || !Modifier.isFinal(modifiers)) {
                    continue;
                }
                // The declaring class may be package-private (the local stack's parts are).
                field.setAccessible(true);
                if (field.getType() == SettingsDef.class) {
                    SettingsDef def = (SettingsDef) field.get(null);
                    apps.put(def.app(), def);
                } else if (field.getType() == ConfigDef.class) {
                    plugins.put(type.getSimpleName(), (ConfigDef) field.get(null));
                }
            }
        }
        assertThat(apps)
                .as("apps found")
                .containsKeys("gateway", "streams-app", "local stack", "local stack connectors", "schema registry");
        assertThat(plugins)
                .as("connector configs found")
                .containsKeys(
                        "DynamoDbSinkConfig",
                        "Auth0LogsSourceConfig",
                        "Auth0ProvisioningSinkConfig",
                        "WelcomeMailSinkConfig",
                        "AvroSerdeConfig",
                        "PrometheusReporterConfig");

        List<String> undocumented = new ArrayList<>();
        apps.values()
                .forEach(def -> def.settings().stream()
                        .filter(s -> s.documentation().isBlank())
                        .forEach(s -> undocumented.add(def.app() + ": " + s.name())));
        plugins.forEach((name, def) -> def.configKeys().values().stream()
                .filter(key -> key.documentation == null || key.documentation.isBlank())
                .forEach(key -> undocumented.add(name + ": " + key.name)));
        assertThat(undocumented).as("settings without documentation").isEmpty();

        String generated = render(apps, plugins);
        if (Boolean.getBoolean("config.reference.update")) {
            Files.createDirectories(REFERENCE.getParent());
            Files.writeString(REFERENCE, generated);
        }
        assertThat(REFERENCE).as("docs/configuration.md").exists();
        assertThat(Files.readString(REFERENCE))
                .as("docs/configuration.md is generated from the declarations; regenerate it with "
                        + "./mvnw -pl build-checks -am verify -Dconfig.reference.update=true")
                .isEqualTo(generated);
    }

    private static List<Field> declaredFields(JavaClass type) {
        try {
            return List.of(Class.forName(type.getName(), true, ConfigReferenceTest.class.getClassLoader())
                    .getDeclaredFields());
        } catch (ClassNotFoundException | LinkageError e) {
            // Classes whose optional dependencies are absent here hold no settings of ours.
            return List.of();
        }
    }

    private static String render(Map<String, SettingsDef> apps, Map<String, ConfigDef> plugins) {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append(
                        "Generated from the declarations by `ConfigReferenceTest` (build-checks); do not edit by hand.\n")
                .append("Regenerate with `./mvnw -pl build-checks -am verify -Dconfig.reference.update=true`.\n\n")
                .append(
                        "The apps read environment variables (the local stack also `--name=value` arguments; the schema\n")
                .append(
                        "registry Confluent-named properties). A blank value counts as unset. At start an app refuses,\n")
                .append("naming each: a value that does not parse or is out of range, a missing required setting, an\n")
                .append("unknown variable under one of its own prefixes, a pass-through of a client setting it fixes\n")
                .append("itself, and contradictory values. Secret values never appear in a message or a log.\n")
                .append(
                        "The connectors take Kafka Connect configs, checked by the worker (`PUT .../config/validate`).\n");
        apps.values().forEach(def -> renderApp(md, def));
        plugins.forEach((name, def) -> renderPlugin(md, name, def));
        return md.toString();
    }

    private static void renderApp(StringBuilder md, SettingsDef def) {
        md.append("\n## ").append(def.app()).append("\n\n");
        if (!def.ownPrefixes().isEmpty()) {
            md.append("Own prefixes (an undeclared variable there is refused): ")
                    .append(String.join(
                            ", ",
                            def.ownPrefixes().stream().map(p -> "`" + p + "*`").toList()))
                    .append(".\n\n");
        }
        md.append("| Setting | Type | Default | Description |\n| --- | --- | --- | --- |\n");
        for (Setting<?> setting : def.settings()) {
            String defaultValue = setting.isRequired()
                    ? "required, e.g. `" + setting.example().orElseThrow() + "`"
                    : setting.defaultValue().map(v -> "`" + v + "`").orElse("unset");
            md.append("| `")
                    .append(setting.name())
                    .append("` | ")
                    .append(cell(setting.type()))
                    .append(setting.isSecret() ? ", secret" : "")
                    .append(" | ")
                    .append(cell(defaultValue))
                    .append(" | ")
                    .append(cell(setting.documentation()))
                    .append(" |\n");
        }
        for (SettingsDef.PassThrough passThrough : def.passThroughs()) {
            md.append("\n`")
                    .append(passThrough.prefix())
                    .append("…` passes through to the ")
                    .append(passThrough.client())
                    .append(
                            passThrough.prefix().endsWith("_")
                                    ? " (`_` → `.`, lower case: `" + passThrough.prefix() + "LINGER_MS` is `linger.ms`)"
                                    : "")
                    .append(".");
            if (!passThrough.fixed().isEmpty()) {
                md.append(" Refused, because the app sets them itself:\n\n");
                new TreeMap<>(passThrough.fixed())
                        .forEach((key, why) -> md.append("- `")
                                .append(key)
                                .append("`: ")
                                .append(cell(why))
                                .append("\n"));
            } else {
                md.append("\n");
            }
        }
    }

    private static void renderPlugin(StringBuilder md, String name, ConfigDef def) {
        md.append("\n## ").append(name).append("\n\n");
        md.append("| Key | Type | Default | Importance | Description |\n| --- | --- | --- | --- | --- |\n");
        def.configKeys().values().stream()
                .sorted(Comparator.comparing(key -> key.name))
                .forEach(key -> {
                    String type = key.type == ConfigDef.Type.PASSWORD
                            ? "password, secret"
                            : key.type.name().toLowerCase();
                    String defaultValue = key.defaultValue == ConfigDef.NO_DEFAULT_VALUE
                            ? "required"
                            : key.defaultValue == null
                                    ? "unset"
                                    : key.defaultValue instanceof Password
                                            ? "hidden"
                                            : key.defaultValue instanceof List<?> list
                                                    ? "`"
                                                            + String.join(
                                                                    ",",
                                                                    list.stream()
                                                                            .map(String::valueOf)
                                                                            .toList())
                                                            + "`"
                                                    : "`" + key.defaultValue + "`";
                    // Kafka's validators describe themselves ("[1,...,600000]"); a lambda's name says nothing.
                    String validator = String.valueOf(key.validator);
                    String range = key.validator == null
                                    || validator.contains("$$Lambda")
                                    || validator.matches(".*@\\p{XDigit}+")
                            ? ""
                            : " " + validator;
                    md.append("| `")
                            .append(key.name)
                            .append("` | ")
                            .append(cell(type + range))
                            .append(" | ")
                            .append(cell(defaultValue))
                            .append(" | ")
                            .append(key.importance.name().toLowerCase())
                            .append(" | ")
                            .append(cell(key.documentation))
                            .append(" |\n");
                });
    }

    /** A Markdown table cell: one line, pipes escaped. */
    private static String cell(String text) {
        return text.replace("\n", " ").replace("|", "\\|");
    }
}
