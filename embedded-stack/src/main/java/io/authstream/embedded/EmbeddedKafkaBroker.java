package io.authstream.embedded;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft: broker and controller in one process) on loopback. The log
 * directory is formatted on first start and reused afterwards, so topics and offsets survive a
 * restart on the same data directory.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;

    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private final Map<String, String> overrides = new HashMap<>();
    private KafkaRaftServer server;

    public EmbeddedKafkaBroker(Path logDir, int brokerPort, int controllerPort) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Sets a broker property before {@link #start}; wins over the defaults here. */
    public EmbeddedKafkaBroker withSetting(String name, String value) {
        overrides.put(name, value);
        return this;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public boolean isRunning() {
        return server != null;
    }

    /** Formats the log directory if new, starts the node and waits until it serves clients. */
    public synchronized EmbeddedKafkaBroker start(Duration timeout) {
        if (server != null) {
            return this;
        }
        Map<String, String> props = serverProperties();
        try {
            Files.createDirectories(logDir);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format();
            }
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot format the Kafka log directory " + logDir + ": " + e.getMessage(), e);
        }
        KafkaRaftServer starting = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
        try {
            starting.startup();
        } catch (RuntimeException e) {
            starting.shutdown();
            throw new IllegalStateException(
                    "Kafka could not start on " + bootstrapServers() + " (controller port " + controllerPort + "): "
                            + e.getMessage(),
                    e);
        }
        server = starting;
        awaitReady(timeout);
        LOG.info("Kafka broker ready on {} (log dir {})", bootstrapServers(), logDir);
        return this;
    }

    /** Stops the node cleanly (controlled shutdown, logs flushed). */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    private Map<String, String> serverProperties() {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("log.dirs", logDir.toString());
        // Topics come from the catalogue; a typo in a topic name should fail, not create a topic.
        props.put("auto.create.topics.enable", "false");
        // One node: every internal topic has one replica, and few partitions keep start-up quick.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "4");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "4");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("num.partitions", "1");
        props.putAll(overrides);
        return props;
    }

    private void format() throws Exception {
        new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setClusterId(Uuid.randomUuid().toString())
                .setNodeId(NODE_ID)
                .setDirectories(java.util.List.of(logDir.toString()))
                .setMetadataLogDirectory(logDir.toString())
                .setControllerListenerName("CONTROLLER")
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                .run();
    }

    private void awaitReady(Duration timeout) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) timeout.toMillis());
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka on " + bootstrapServers() + " did not answer within " + timeout, e);
        }
    }
}
