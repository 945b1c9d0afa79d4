package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.authstream.config.Setting;
import io.authstream.config.SettingsDef;
import io.authstream.connect.dynamodb.DynamoDbSinkConfig;
import io.authstream.connectmetrics.PrometheusMetricsReporter;
import io.authstream.connectmetrics.PrometheusReporterConfig;
import io.authstream.embedded.connect.SecretsDirectory;
import io.authstream.enrich.testing.TestDatabases;
import io.authstream.gateway.GatewayConfig;
import io.authstream.schemas.Topic;
import io.authstream.schemas.Topics;
import io.authstream.streams.StreamsAppConfig;
import io.authstream.teststack.KafkaBackends;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.metrics.JmxReporter;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, its scripts and the Dockerfiles, checked against the code (these machines
 * cannot run Docker): services and health-gated start order, images matching the versions we
 * build and test with, the environment variables the apps actually read, ports (loopback but for
 * the gateway), the topic catalogue, the Connect plugin path and connector configs (secrets as
 * provider references), the Connect metrics reporter on the worker's class path, Prometheus
 * scraping every app where it serves its metrics, with the alert rules, non-root JRE-only images.
 */
class ComposeStackTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final JsonNode COMPOSE = read();
    private static final JsonNode SERVICES = COMPOSE.get("services");

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory())
                    .readTree(ROOT.resolve("docker-compose.yml").toFile());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        SERVICES.get(service)
                .path("environment")
                .properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    @Test
    void theStackHasEveryPartAndStartsInHealthGatedOrder() {
        List<String> names = new ArrayList<>();
        SERVICES.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactlyInAnyOrder(
                        "kafka",
                        "schema-registry",
                        "dynamodb",
                        "init",
                        "init-table",
                        "connect",
                        "connect-init",
                        "streams-app",
                        "gateway",
                        "prometheus");
        SERVICES.properties()
                .forEach(service -> service.getValue()
                        .path("depends_on")
                        .properties()
                        .forEach(dependency -> {
                            String condition =
                                    dependency.getValue().path("condition").asText();
                            assertThat(condition)
                                    .as("%s -> %s", service.getKey(), dependency.getKey())
                                    .isIn("service_healthy", "service_completed_successfully");
                            if (condition.equals("service_healthy")) {
                                assertThat(SERVICES.get(dependency.getKey()).has("healthcheck"))
                                        .as("%s has a healthcheck", dependency.getKey())
                                        .isTrue();
                            }
                        }));
        for (String longRunning :
                List.of("kafka", "schema-registry", "dynamodb", "connect", "streams-app", "gateway", "prometheus")) {
            assertThat(SERVICES.get(longRunning).has("healthcheck"))
                    .as(longRunning)
                    .isTrue();
        }
    }

    @Test
    void imagesMatchTheVersionsWeBuildAndTestWith() throws IOException {
        String kafka = "apache/kafka:" + AppInfoParser.getVersion();
        assertThat(List.of("kafka", "connect", "init"))
                .allSatisfy(
                        s -> assertThat(SERVICES.get(s).get("image").asText()).isEqualTo(kafka));
        assertThat(KafkaBackends.TESTCONTAINERS_IMAGE)
                .as("the Testcontainers backend")
                .isEqualTo(kafka);
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String dynamoDbLocal =
                pom.substring(pom.indexOf("<dynamodb.local.version>") + 24, pom.indexOf("</dynamodb.local.version>"));
        assertThat(SERVICES.get("dynamodb").get("image").asText()).isEqualTo("amazon/dynamodb-local:" + dynamoDbLocal);
        assertThat(SERVICES.get("schema-registry").get("image").asText())
                .startsWith("confluentinc/cp-schema-registry:");
    }

    @Test
    void theAppsGetOnlyVariablesTheyReadAndEveryOneTheyRequire() {
        check("gateway", GatewayConfig.DEFINITION, GatewayConfig.PASS_THROUGH, "GATEWAY_PORT");
        check("streams-app", StreamsAppConfig.DEFINITION, StreamsAppConfig.PASS_THROUGH, "STREAMS_HTTP_PORT");
    }

    private static void check(String service, SettingsDef definition, String passThrough, String portVariable) {
        Map<String, String> env = environment(service);
        Set<String> known = definition.settings().stream().map(Setting::name).collect(Collectors.toSet());
        assertThat(env.keySet())
                .allSatisfy(name -> assertThat(known.contains(name) || name.startsWith(passThrough))
                        .as("%s reads %s", service, name)
                        .isTrue());
        assertThat(env).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "SCHEMA_REGISTRY_URL");
        assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:19092");
        assertThat(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS")).contains("INTERNAL://kafka:19092");
        assertThat(env.get("SCHEMA_REGISTRY_URL")).isEqualTo("http://schema-registry:8081");
        assertThat(environment("schema-registry").get("SCHEMA_REGISTRY_LISTENERS"))
                .endsWith(":8081");
        String port = env.get(portVariable);
        assertThat(SERVICES.get(service).get("ports").get(0).asText().replaceFirst("^127\\.0\\.0\\.1:", ""))
                .isEqualTo(port + ":" + port);
        assertThat(SERVICES.get(service).get("healthcheck").get("test").toString())
                .contains("/dev/tcp/127.0.0.1/" + port)
                .contains("/health/ready");
        assertThat(env.values())
                .as("no secret is written into the compose file")
                .noneMatch(v -> v.startsWith("Bearer "));
    }

    @Test
    void everyPortButTheGatewaysIsPublishedOnLoopbackOnly() {
        List<String> published = new ArrayList<>();
        SERVICES.properties()
                .forEach(service -> service.getValue().path("ports").forEach(port -> {
                    assertThat(port.isTextual())
                            .as("%s publishes %s in the short syntax", service.getKey(), port)
                            .isTrue();
                    published.add(service.getKey() + " " + port.asText());
                }));
        assertThat(published).contains("gateway 8080:8080", "kafka 127.0.0.1:9092:9092", "connect 127.0.0.1:8083:8083");
        assertThat(published)
                .filteredOn(p -> !p.startsWith("gateway "))
                .allSatisfy(p -> assertThat(p).matches("\\S+ 127\\.0\\.0\\.1:\\d+:\\d+"));
    }

    @Test
    void connectorSecretsAreEnvironmentReferencesOnlyTheWorkersProviderMayResolve() throws IOException {
        Properties worker = workerConfig();
        assertThat(worker.getProperty("config.providers")).isEqualTo("env");
        assertThat(worker.getProperty("config.providers.env.class")).isEqualTo(EnvVarConfigProvider.class.getName());
        Map<String, String> connectEnv = environment("connect");
        assertThat(connectEnv.get("KAFKA_OPTS"))
                .contains("-D" + AbstractConfig.AUTOMATIC_CONFIG_PROVIDERS_PROPERTY + "=none");

        Set<String> referenced = new TreeSet<>();
        try (var files = Files.list(ROOT.resolve("deploy/connect"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode connector = new ObjectMapper().readTree(file.toFile());
                for (String key : SecretsDirectory.secretKeys(
                        connector.get("connector.class").asText())) {
                    if (connector.has(key)) {
                        String value = connector.get(key).asText();
                        assertThat(value).as("%s %s", file.getFileName(), key).matches("\\$\\{env:[A-Z0-9_]+}");
                        referenced.add(value.substring("${env:".length(), value.length() - 1));
                    }
                }
            }
        }
        assertThat(referenced).as("the Users sink's AWS secret key").contains("DYNAMODB_SECRET_ACCESS_KEY");
        for (String name : referenced) {
            assertThat(connectEnv.get(name))
                    .as("connect's %s comes from your environment", name)
                    .startsWith("${" + name);
        }

        // Kafka's provider, configured as the worker is, on connect's environment and what the image has.
        Map<String, String> containerEnv = new HashMap<>(connectEnv);
        containerEnv.putAll(Map.of("PATH", "/usr/bin", "HOME", "/home/appuser", "KAFKA_HEAP_OPTS", "-Xmx1g"));
        try (EnvVarConfigProvider provider = new EnvVarConfigProvider(containerEnv)) {
            Map<String, Object> params = new HashMap<>();
            worker.stringPropertyNames().stream()
                    .filter(k -> k.startsWith("config.providers.env.param."))
                    .forEach(k ->
                            params.put(k.substring("config.providers.env.param.".length()), worker.getProperty(k)));
            assertThat(params).containsKey(EnvVarConfigProvider.ALLOWLIST_PATTERN_CONFIG);
            provider.configure(params);
            assertThat(provider.get("").data().keySet())
                    .as("the variables a connector config can read")
                    .isEqualTo(referenced);
        }
    }

    private static Properties workerConfig() throws IOException {
        Properties worker = new Properties();
        try (var in = Files.newInputStream(ROOT.resolve("deploy/connect/connect-distributed.properties"))) {
            worker.load(in);
        }
        return worker;
    }

    @Test
    void theInitScriptCreatesTheCatalogueWithItsConfigs() throws IOException {
        Map<String, Map<String, String>> scripted = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/init/create-topics.sh"))) {
            if (line.startsWith("create ")) {
                String[] words = line.split(" ");
                Map<String, String> configs = new HashMap<>();
                Arrays.stream(words)
                        .skip(2)
                        .forEach(c -> configs.put(c.substring(0, c.indexOf('=')), c.substring(c.indexOf('=') + 1)));
                scripted.put(words[1], configs);
            }
        }
        Map<String, Map<String, String>> catalogue = new TreeMap<>();
        for (Topic<?, ?> topic : Topics.ALL) {
            catalogue.put(topic.name(), topic.topicConfigs());
        }
        assertThat(scripted).isEqualTo(catalogue);
    }

    @Test
    void connectMountsThePluginsWhereItsPluginPathPointsAndTheSinkConfigIsValid() throws IOException {
        Properties worker = workerConfig();
        List<String> mounts = new ArrayList<>();
        SERVICES.get("connect").get("volumes").forEach(v -> mounts.add(v.asText()));
        assertThat(mounts)
                .contains("./connectors/target/plugins/plugin-path:" + worker.getProperty("plugin.path") + ":ro");
        assertThat(worker.getProperty("bootstrap.servers")).isEqualTo("kafka:19092");
        Path plugins = ROOT.resolve("connectors/target/plugins/plugin-path");
        // The connectors module packages its plugins before this module's tests run (reactor order).
        assertThat(plugins)
                .as("the Connect plugin path; build the connectors module first")
                .isDirectory();
        try (var dirs = Files.list(plugins)) {
            assertThat(dirs.map(p -> p.getFileName().toString()))
                    .contains(
                            "authstream-dynamodb-sink",
                            "authstream-auth0-logs-source",
                            "authstream-auth0-provisioning-sink");
        }
        Map<String, String> sink = new LinkedHashMap<>();
        new ObjectMapper()
                .readTree(ROOT.resolve("deploy/connect/users-sink.json").toFile())
                .properties()
                .iterator()
                .forEachRemaining(e -> sink.put(e.getKey(), e.getValue().asText()));
        assertThat(sink)
                .containsEntry("connector.class", io.authstream.connect.dynamodb.DynamoDbSinkConnector.class.getName())
                .containsEntry("topics", Topics.AUTH_PROFILES.name())
                .containsEntry("dynamodb.endpoint", "http://dynamodb:8000")
                .containsEntry("errors.deadletterqueue.topic.name", Topics.AUTH_EVENTS_DEADLETTER.name());
        new DynamoDbSinkConfig(sink);
        assertThat(SERVICES.get("connect-init").get("command").toString())
                .contains("http://connect:8083/connectors/users-sink/config");
    }

    @Test
    void connectServesItsMetricsThroughTheReporterOnItsClassPath() throws IOException {
        Properties worker = workerConfig();
        assertThat(worker.getProperty("metric.reporters").split(","))
                .containsExactly(JmxReporter.class.getName(), PrometheusMetricsReporter.class.getName());
        assertThat(worker.getProperty("consumer.metric.reporters"))
                .isEqualTo(PrometheusMetricsReporter.class.getName());
        // The worker's reporter and the sink tasks' consumers' share one endpoint: the same address.
        for (String key : List.of(PrometheusReporterConfig.HOST, PrometheusReporterConfig.PORT)) {
            assertThat(worker.getProperty("consumer." + key)).as(key).isEqualTo(worker.getProperty(key));
        }
        PrometheusReporterConfig reporter = new PrometheusReporterConfig(worker);
        assertThat(reporter.host()).as("reachable from the prometheus service").isEqualTo("0.0.0.0");

        String pom = Files.readString(ROOT.resolve("connect-metrics/pom.xml"));
        String jar = pom.substring(pom.indexOf("<finalName>") + 11, pom.indexOf("</finalName>")) + ".jar";
        String mount = mounts("connect").stream()
                .filter(m -> m.startsWith("./connect-metrics/"))
                .findFirst()
                .orElseThrow();
        String[] parts = mount.split(":");
        assertThat(parts[0]).isEqualTo("./connect-metrics/target/" + jar);
        assertThat(parts[2]).isEqualTo("ro");
        assertThat(environment("connect").get("CLASSPATH").split(":")).contains(parts[1]);
        assertThat(ROOT.resolve(parts[0]))
                .as("the reporter's jar; build the connect-metrics module first")
                .isRegularFile();
        assertThat(worker.getProperty("plugin.path")).doesNotContain("connect-metrics");
    }

    @Test
    void prometheusScrapesEveryAppWhereComposeServesItsMetricsAndLoadsTheAlertRules() throws IOException {
        JsonNode prometheus = SERVICES.get("prometheus");
        assertThat(prometheus.get("image").asText()).startsWith("prom/prometheus:v");
        assertThat(prometheus.get("ports").get(0).asText()).isEqualTo("127.0.0.1:9090:9090");
        String mount = mounts("prometheus").stream()
                .filter(m -> m.startsWith("./deploy/prometheus:"))
                .findFirst()
                .orElseThrow();
        String configDir = mount.split(":")[1];
        assertThat(mount).endsWith(":ro");
        assertThat(prometheus.get("command").toString()).contains("--config.file=" + configDir + "/prometheus.yml");
        assertThat(prometheus.get("healthcheck").get("test").toString()).contains("http://localhost:9090/-/ready");

        JsonNode config = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("deploy/prometheus/prometheus.yml").toFile());
        List<String> ruleFiles = new ArrayList<>();
        config.get("rule_files").forEach(f -> ruleFiles.add(f.asText()));
        assertThat(ruleFiles).containsExactly("alerts.yml");
        assertThat(ROOT.resolve("deploy/prometheus").resolve(ruleFiles.get(0))).isRegularFile();

        Map<String, String> targets = new TreeMap<>();
        config.get("scrape_configs").forEach(job -> {
            assertThat(job.path("metrics_path").asText("/metrics")).isEqualTo("/metrics");
            List<String> hosts = new ArrayList<>();
            job.get("static_configs").forEach(c -> c.get("targets").forEach(t -> hosts.add(t.asText())));
            targets.put(job.get("job_name").asText(), String.join(",", hosts));
        });
        Map<String, String> gateway = environment("gateway");
        Map<String, String> streams = environment("streams-app");
        assertThat(gateway.get("GATEWAY_HOST")).isEqualTo("0.0.0.0");
        assertThat(streams.get("STREAMS_HTTP_HOST")).isEqualTo("0.0.0.0");
        assertThat(targets)
                .as("each app where compose serves its /metrics")
                .isEqualTo(Map.of(
                        "gateway", "gateway:" + gateway.get("GATEWAY_PORT"),
                        "streams-app", "streams-app:" + streams.get("STREAMS_HTTP_PORT"),
                        "connect", "connect:" + workerConfig().getProperty(PrometheusReporterConfig.PORT)));

        // The alert on a target that stops answering knows these job names.
        JsonNode rules = new ObjectMapper(new YAMLFactory())
                .readTree(ROOT.resolve("deploy/prometheus/alerts.yml").toFile());
        List<String> upRules = new ArrayList<>();
        rules.get("groups")
                .forEach(group -> group.get("rules").forEach(rule -> {
                    if (rule.path("expr").asText().contains("up{")) {
                        upRules.add(rule.path("expr").asText());
                    }
                }));
        assertThat(upRules).hasSize(1);
        assertThat(targets.keySet())
                .allSatisfy(job -> assertThat(upRules.get(0)).contains(job));
    }

    private static List<String> mounts(String service) {
        List<String> mounts = new ArrayList<>();
        SERVICES.get(service).get("volumes").forEach(v -> mounts.add(v.asText()));
        return mounts;
    }

    @Test
    void theStreamsAppGetsTheGeoIpDatabaseTheBuildInstalls() {
        List<String> mounts = new ArrayList<>();
        SERVICES.get("streams-app").get("volumes").forEach(v -> mounts.add(v.asText()));
        String mount =
                mounts.stream().filter(m -> m.contains("geoip")).findFirst().orElseThrow();
        String[] parts = mount.split(":");
        assertThat(parts[2]).isEqualTo("ro");
        for (String file : environment("streams-app").get("GEOIP_DATABASE").split(",")) {
            assertThat(file).startsWith(parts[1] + "/");
            Path onHost = ROOT.resolve(parts[0])
                    .resolve(file.substring(parts[1].length() + 1))
                    .normalize();
            assertThat(TestDatabases.dbipCity().stream()
                            .map(p -> p.toAbsolutePath().normalize()))
                    .as("the files the build installed")
                    .contains(onHost);
        }
    }

    @Test
    void imagesAreMultiStageJreOnlyAndNonRoot() throws Exception {
        for (Map.Entry<String, String> app : Map.of(
                        "gateway",
                        "io.authstream.gateway.GatewayMain",
                        "streams-app",
                        "io.authstream.streams.StreamsMain")
                .entrySet()) {
            assertThat(SERVICES.get(app.getKey()).get("build").get("dockerfile").asText())
                    .isEqualTo(app.getKey() + "/Dockerfile");
            List<String> lines = Files.readAllLines(ROOT.resolve(app.getKey()).resolve("Dockerfile"));
            List<String> stages =
                    lines.stream().filter(l -> l.startsWith("FROM ")).toList();
            assertThat(stages).hasSize(2);
            assertThat(stages.get(0)).contains("-jdk").endsWith(" AS build");
            assertThat(stages.get(1)).endsWith("-jre");
            assertThat(lines).anyMatch(l -> l.equals("USER 10001"));
            String pom = Files.readString(ROOT.resolve(app.getKey()).resolve("pom.xml"));
            String jar = pom.substring(pom.indexOf("<finalName>") + 11, pom.indexOf("</finalName>")) + ".jar";
            assertThat(lines).anyMatch(l -> l.startsWith("ENTRYPOINT") && l.contains("/app/" + jar));
            assertThat(pom).contains("<mainClass>" + app.getValue() + "</mainClass>");
            Class.forName(app.getValue());
        }
    }
}
