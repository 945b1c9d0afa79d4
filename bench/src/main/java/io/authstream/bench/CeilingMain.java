package io.authstream.bench;

import io.authstream.config.AppMain;
import io.authstream.gateway.GatewayConfig;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerializer;
import java.time.Clock;
import java.util.List;

/**
 * The HTTP ceiling of the load benchmark: the gateway's own server, started as {@code GatewayMain}
 * starts it (same settings, connector, handlers and limits), with one more route, {@link #PATH},
 * that reads the body and answers a fixed 200 on the request thread. What it serves is what
 * Jetty and Javalin cost on this machine; the gateway's routes add normalising, encoding and
 * waiting for Kafka's acks.
 */
public final class CeilingMain {

    static final String PATH = "/bench/ceiling";
    static final String READY = "authstream ceiling listening on";
    private static final String ANSWER = "{\"accepted\":1,\"deadLettered\":0}";

    private CeilingMain() {}

    public static void main(String[] args) throws InterruptedException {
        AppMain.useLoggingConfig("authstream-gateway-logback.xml");
        GatewayConfig config = GatewayConfig.fromEnvironment(System.getenv());
        GeneratedClasses.trust();
        EventPublisher publisher =
                new EventPublisher(config.producerConfig(), new AvroSerializer<AuthEvent>(config.serdeConfig(), false));
        GatewayServer server = new GatewayServer(config, publisher, Clock.systemUTC())
                .start(cfg -> cfg.routes.post(PATH, ctx -> {
                    byte[] body = ctx.bodyAsBytes();
                    ctx.status(body.length > 0 ? 200 : 400)
                            .contentType("application/json")
                            .result(ANSWER);
                }));
        System.out.println(READY + " " + server.url());
        AppMain.runUntilStopped("ceiling", List.of(server, publisher));
    }
}
