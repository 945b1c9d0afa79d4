package io.authstream.gateway;

import io.authstream.gateway.http.GatewayServer;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/** Starts the gateway from environment variables; stops cleanly (pending acks flushed) on SIGTERM/Ctrl-C. */
public final class GatewayMain {

    private GatewayMain() {}

    public static void main(String[] args) throws InterruptedException {
        // The app's logging config has its own name, so that embedding the app (the local stack) brings
        // no second logback.xml; -Dlogback.configurationFile still wins.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "authstream-gateway-logback.xml");
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        GeneratedClasses.trust();
        EventPublisher publisher = new EventPublisher(config.producerConfig(),
                new AvroSerializer<AuthEvent>(config.serdeConfig(), false));
        GatewayServer server = new GatewayServer(config, publisher, Clock.systemUTC()).start();
        System.out.println("authstream gateway listening on " + server.url());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            publisher.close();
            stopped.countDown();
        }, "gateway-shutdown"));
        stopped.await();
    }
}
