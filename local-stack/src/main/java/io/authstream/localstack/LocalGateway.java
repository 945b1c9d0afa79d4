package io.authstream.localstack;

import io.authstream.gateway.GatewayConfig;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.gateway.provision.ProvisioningTracker;
import io.authstream.gateway.provision.TrackerFeed;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway inside the local stack, pointed at the embedded Kafka and registry. It starts only
 * when the environment gives it at least one route credential: secrets come from the
 * environment, never from defaults.
 */
final class LocalGateway implements AutoCloseable {

    private final GatewayConfig config;
    private final EventPublisher publisher;
    private final GatewayServer server;
    private final Optional<TrackerFeed> feed;

    private LocalGateway(GatewayConfig config) {
        this.config = config;
        this.publisher =
                new EventPublisher(config.producerConfig(), new AvroSerializer<AuthEvent>(config.serdeConfig(), false));
        Optional<ProvisioningTracker> tracker = config.provisioning()
                .auth()
                .map(on -> new ProvisioningTracker(config.provisioning().kept(), Clock.systemUTC()));
        this.feed = tracker.map(t -> new TrackerFeed(config.producerConfig(), config.serdeConfig(), t).start());
        this.server = new GatewayServer(config, publisher, Clock.systemUTC(), tracker).start();
    }

    static Optional<LocalGateway> startIfConfigured(Map<String, String> env, LocalEndpoints endpoints) {
        if (GatewayConfig.ROUTE_CREDENTIALS.stream()
                .noneMatch(route ->
                        env.get(route.name()) != null && !env.get(route.name()).isBlank())) {
            return Optional.empty();
        }
        return Optional.of(new LocalGateway(GatewayConfig.fromEnvironment(endpoints.applyTo(env))));
    }

    String url() {
        return server.url();
    }

    /** URL and the routes that are on (names only, never credentials). */
    String describe() {
        List<String> routes = new ArrayList<>();
        config.logStreamAuth().ifPresent(a -> routes.add("POST " + GatewayServer.LOG_STREAM_PATH));
        config.eventStreamAuth().ifPresent(a -> routes.add("POST " + GatewayServer.EVENT_STREAM_PATH));
        config.eventBridgeAuth().ifPresent(a -> routes.add("POST " + GatewayServer.EVENTBRIDGE_PATH));
        config.actionsAuth().ifPresent(a -> routes.add("GET " + GatewayServer.ACTIONS_PATH));
        if (!config.putEventsAccessKeys().isEmpty()) {
            routes.add("POST / (EventBridge PutEvents)");
        }
        config.provisioning().auth().ifPresent(a -> routes.add("/api/admin/employees... (provisioning)"));
        return server.url() + "  " + String.join(", ", routes);
    }

    @Override
    public void close() {
        server.close();
        feed.ifPresent(TrackerFeed::close);
        publisher.close();
    }
}
