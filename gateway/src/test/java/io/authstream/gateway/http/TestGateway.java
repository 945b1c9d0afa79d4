package io.authstream.gateway.http;

import io.authstream.gateway.GatewayConfig;
import io.authstream.gateway.provision.ProvisioningTracker;
import io.authstream.gateway.provision.TrackerFeed;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.teststack.SecretSettings;
import io.authstream.teststack.TestStack;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** A real gateway (server and producer) on a test stack, configured from an environment map as in production. */
final class TestGateway implements AutoCloseable {

    private final EventPublisher publisher;
    private final GatewayServer server;
    private final Optional<TrackerFeed> feed;

    private TestGateway(GatewayConfig config, Clock clock) {
        publisher =
                new EventPublisher(config.producerConfig(), new AvroSerializer<AuthEvent>(config.serdeConfig(), false));
        Optional<ProvisioningTracker> tracker = config.provisioning()
                .auth()
                .map(on -> new ProvisioningTracker(config.provisioning().kept(), clock));
        feed = tracker.map(t -> new TrackerFeed(config.producerConfig(), config.serdeConfig(), t).start());
        server = new GatewayServer(config, publisher, clock, tracker).start();
    }

    /** Creates the catalogue topics and starts a gateway on a free port with {@code env} (credentials, limits). */
    static TestGateway start(TestStack stack, Map<String, String> env, Clock clock) {
        return new TestGateway(GatewayConfig.fromEnvironment(environment(stack, env)), clock);
    }

    /**
     * Creates the catalogue topics; returns {@code env} pointed at {@code stack}, on a free port
     * unless it names one, its secrets registered for the log checks.
     */
    static Map<String, String> environment(TestStack stack, Map<String, String> env) {
        stack.createTopics(Topics.ALL, 1);
        Map<String, String> full = new HashMap<>(env);
        full.putIfAbsent("GATEWAY_PORT", "0");
        full.put("KAFKA_BOOTSTRAP_SERVERS", stack.bootstrapServers());
        full.put("SCHEMA_REGISTRY_URL", stack.schemaRegistryUrl());
        SecretSettings.register(full, GatewayConfig.DEFINITION);
        return full;
    }

    String url() {
        return server.url();
    }

    @Override
    public void close() {
        server.close();
        feed.ifPresent(TrackerFeed::close);
        publisher.close();
    }
}
