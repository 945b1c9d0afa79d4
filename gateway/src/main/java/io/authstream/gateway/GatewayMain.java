package io.authstream.gateway;

import io.authstream.config.AppMain;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.gateway.provision.ProvisioningTracker;
import io.authstream.gateway.provision.TrackerFeed;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Starts the gateway from environment variables; stops cleanly (pending acks flushed) on SIGTERM/Ctrl-C. */
public final class GatewayMain {

    private GatewayMain() {}

    public static void main(String[] args) throws InterruptedException {
        AppMain.useLoggingConfig("authstream-gateway-logback.xml");
        GatewayConfig config = AppMain.settingsOrExit(() -> GatewayConfig.fromEnvironment(System.getenv()));
        GeneratedClasses.trust();
        EventPublisher publisher =
                new EventPublisher(config.producerConfig(), new AvroSerializer<AuthEvent>(config.serdeConfig(), false));
        Optional<ProvisioningTracker> tracker = config.provisioning()
                .auth()
                .map(on -> new ProvisioningTracker(config.provisioning().kept(), Clock.systemUTC()));
        Optional<TrackerFeed> feed =
                tracker.map(t -> new TrackerFeed(config.producerConfig(), config.serdeConfig(), t).start());
        GatewayServer server = new GatewayServer(config, publisher, Clock.systemUTC(), tracker).start();
        System.out.println("authstream gateway listening on " + server.url());
        // The server first, so no request arrives once the producer is closing.
        List<AutoCloseable> closing = new ArrayList<>(List.of(server, publisher));
        feed.ifPresent(closing::add);
        AppMain.runUntilStopped("gateway", closing);
    }
}
