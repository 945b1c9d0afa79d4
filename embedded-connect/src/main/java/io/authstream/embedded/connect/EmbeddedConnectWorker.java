package io.authstream.embedded.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * A real Kafka Connect worker (distributed mode, one member) in this JVM, on a given broker,
 * with its REST API on a free loopback port. Connectors on the classpath are found through their
 * {@code META-INF/services} entries, as from a plugin directory. Given a {@link SecretsDirectory},
 * it resolves that directory's references in connector configs, and no other file.
 *
 * <p>Its REST API takes connector configs from whoever reaches it, and Kafka lets any
 * {@code AbstractConfig} built from such a config (the connector's own settings, the producers
 * and consumers Connect makes from {@code producer.override.*} and the like) start the config
 * providers that config names itself, e.g. a {@code FileConfigProvider} reading any file
 * (CVE-2024-31141). Unless the JVM was told otherwise, the worker therefore sets
 * {@value #AUTOMATIC_CONFIG_PROVIDERS} to {@value #NO_AUTOMATIC_CONFIG_PROVIDERS}: the worker's
 * own providers come from its worker config, which Kafka does not restrict that way.
 */
public final class EmbeddedConnectWorker implements AutoCloseable {

    static final String AUTOMATIC_CONFIG_PROVIDERS = AbstractConfig.AUTOMATIC_CONFIG_PROVIDERS_PROPERTY;
    /** Not a class name, so no provider may be started from a config's own {@code config.providers}. */
    static final String NO_AUTOMATIC_CONFIG_PROVIDERS = "none";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final Connect<DistributedHerder> connect;
    private final String configTopic;

    /** A worker in a group of its own (a fresh name each time), for tests. */
    public EmbeddedConnectWorker(String bootstrapServers) {
        this(bootstrapServers, "connect-" + UUID.randomUUID().toString().substring(0, 8));
    }

    /**
     * @param groupId the worker group; its config, offset and status topics are named after it, so
     *     a restart with the same id resumes where the connectors were
     */
    public EmbeddedConnectWorker(String bootstrapServers, String groupId) {
        this(bootstrapServers, groupId, Map.of());
    }

    /** A worker that resolves the references of {@code secrets} in connector configs. */
    public EmbeddedConnectWorker(String bootstrapServers, String groupId, SecretsDirectory secrets) {
        this(bootstrapServers, groupId, secrets.workerConfig());
    }

    /**
     * A worker with {@code workerConfig} among its settings, e.g. its metrics reporters; it cannot
     * change what this class sets itself (Kafka, the group's topics, converters, the REST listener).
     *
     * @param secrets the directory whose references it resolves, or null for none
     */
    public EmbeddedConnectWorker(
            String bootstrapServers, String groupId, SecretsDirectory secrets, Map<String, String> workerConfig) {
        this(bootstrapServers, groupId, merged(secrets, workerConfig));
    }

    private static Map<String, String> merged(SecretsDirectory secrets, Map<String, String> workerConfig) {
        Map<String, String> props = new HashMap<>(workerConfig);
        if (secrets != null) {
            props.putAll(secrets.workerConfig());
        }
        return props;
    }

    private EmbeddedConnectWorker(String bootstrapServers, String groupId, Map<String, String> extra) {
        if (System.getProperty(AUTOMATIC_CONFIG_PROVIDERS) == null) {
            System.setProperty(AUTOMATIC_CONFIG_PROVIDERS, NO_AUTOMATIC_CONFIG_PROVIDERS);
        }
        String id = groupId;
        configTopic = id + "-configs";
        Map<String, String> props = new HashMap<>(extra);
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", id);
        props.put("config.storage.topic", configTopic);
        props.put("offset.storage.topic", id + "-offsets");
        props.put("status.storage.topic", id + "-status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        props.put("listeners", "http://127.0.0.1:0");
        props.put("plugin.discovery", "service_load");
        props.put("offset.flush.interval.ms", "1000");
        connect = new ConnectDistributed().startConnect(props);
    }

    public URI url() {
        return connect.rest().serverUrl();
    }

    /** The topic where the worker keeps connector and task configs. */
    public String configTopic() {
        return configTopic;
    }

    /** {@code PUT /connectors/{name}/config}; returns the status and body. */
    public HttpResponse<String> putConnector(String name, Map<String, String> config) throws Exception {
        return send("PUT", "connectors/" + name + "/config", JSON.writeValueAsString(config));
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}. */
    public JsonNode validate(String connectorClass, Map<String, String> config) throws Exception {
        String simpleName = connectorClass.substring(connectorClass.lastIndexOf('.') + 1);
        return JSON.readTree(
                send("PUT", "connector-plugins/" + simpleName + "/config/validate", JSON.writeValueAsString(config))
                        .body());
    }

    /** The connector's status (state of the connector and each task), or null before it exists. */
    public JsonNode status(String name) throws Exception {
        HttpResponse<String> response = send("GET", "connectors/" + name + "/status", null);
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    /** {@code POST /connectors/{name}/restart?includeTasks=true}: the connector and its tasks start again. */
    public void restartConnector(String name) throws Exception {
        HttpResponse<String> response = send("POST", "connectors/" + name + "/restart?includeTasks=true", null);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    "restart of " + name + " refused: " + response.statusCode() + " " + response.body());
        }
    }

    /** Waits until the connector and {@code tasks} tasks are RUNNING. */
    public void awaitRunning(String name, int tasks) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode status = null;
        while (System.currentTimeMillis() < deadline) {
            status = status(name);
            if (status != null
                    && "RUNNING".equals(status.path("connector").path("state").asText())
                    && status.path("tasks").size() == tasks) {
                boolean all = true;
                for (JsonNode task : status.get("tasks")) {
                    all &= "RUNNING".equals(task.path("state").asText());
                }
                if (all) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("connector " + name + " not running with " + tasks + " tasks within 60 s: " + status);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        request.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** How long {@link #close} waits for the herder to have stopped. */
    static final Duration HERDER_STOP = Duration.ofSeconds(60);

    @Override
    public void close() {
        connect.stop();
        connect.awaitStop();
        // At JVM exit Connect's own shutdown hook may have begun the stop first: stop() then returns
        // at once while the herder is still stopping, and whoever closes the broker next leaves the
        // herder retrying it (the local stack then hung at exit). Its run loop ends once it stopped.
        Future<?> herder = connect.herderTask();
        if (herder != null) {
            try {
                herder.get(HERDER_STOP.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | CancellationException e) {
                // stopped with an error, or still stopping: nothing more to wait for here
            }
        }
    }
}
