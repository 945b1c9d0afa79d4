package io.authstream.localstack;

import io.authstream.embedded.EmbeddedStack;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topic;
import io.authstream.schemas.Topics;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the embedded default: Kafka, the schema registry and DynamoDB Local on loopback, topics
 * created, until Ctrl-C.
 */
public final class LocalStackMain {

    private LocalStackMain() {}

    public static void main(String[] args) throws InterruptedException {
        PrintStream out = System.out;
        if (List.of(args).contains("--help")) {
            out.print(LocalStackConfig.usage());
            return;
        }
        EmbeddedStack.Settings settings;
        try {
            settings = LocalStackConfig.parse(System.getenv(), args);
            // The apps' and connectors' settings too, before anything starts.
            LocalConnect.DEFINITION.read(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(LocalStackConfig.usage());
            System.exit(2);
            return;
        }
        GeneratedClasses.trust();
        long started = System.nanoTime();
        out.println("authstream local stack, data in " + settings.dataDir());
        EmbeddedStack stack;
        try {
            stack = new EmbeddedStack(settings, step -> out.println("  " + step)).start();
        } catch (RuntimeException e) {
            System.err.println("could not start the local stack: " + e.getMessage());
            System.exit(1);
            return;
        }
        LocalEndpoints endpoints = LocalEndpoints.of(stack);
        Optional<LocalGateway> gateway = Optional.empty();
        LocalStreamsApp streams = null;
        LocalConnect connect = null;
        LocalMail mail = null;
        try {
            LocalStackConfig.MailPorts ports = LocalStackConfig.mailPorts(System.getenv(), args);
            out.println("  starting the mail server (GreenMail) ...");
            mail = LocalMail.start(
                    ports.smtp(), ports.imap(), ports.pop3(), settings.dataDir().resolve("mail"));
            gateway = LocalGateway.startIfConfigured(System.getenv(), endpoints);
            out.println("  starting the Streams app ...");
            streams = LocalStreamsApp.start(
                    LocalStreamsApp.withGatewayMetrics(System.getenv(), gateway),
                    endpoints,
                    settings.dataDir().resolve("streams"));
            out.println("  starting Kafka Connect with the DynamoDB Users sink and the welcome-mail sink ...");
            connect = LocalConnect.start(
                    System.getenv(),
                    endpoints,
                    "authstream-local-connect",
                    settings.dataDir().resolve("connect-secrets"),
                    Optional.of(mail));
        } catch (RuntimeException e) {
            System.err.println(e instanceof IllegalArgumentException ? e.getMessage() : "could not start: " + e);
            if (streams != null) {
                streams.close();
            }
            if (mail != null) {
                mail.close();
            }
            gateway.ifPresent(LocalGateway::close);
            stack.close();
            System.exit(2);
            return;
        }
        LocalStreamsApp startedStreams = streams;
        LocalConnect startedConnect = connect;
        LocalMail startedMail = mail;
        Optional<LocalGateway> startedGateway = gateway;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            out.println("stopping (Ctrl-C) ...");
                            startedGateway.ifPresent(LocalGateway::close);
                            startedConnect.close();
                            startedMail.close();
                            startedStreams.close();
                            stack.close();
                            out.println("stopped; data kept in " + settings.dataDir());
                            stopped.countDown();
                        },
                        "local-stack-shutdown"));

        out.printf("ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
        out.println();
        out.printf("  %-22s %s%n", "Kafka bootstrap", stack.bootstrapServers());
        out.printf("  %-22s %s%n", "Schema Registry", stack.schemaRegistryUrl());
        out.printf("  %-22s %s  (region us-east-1, any credentials)%n", "DynamoDB Local", stack.dynamoDbEndpoint());
        out.printf("  %-22s %s%n", "Streams app", streams.describe());
        out.printf("  %-22s %s%n", "Dashboard", streams.dashboardUrl());
        out.printf("  %-22s %s%n", "Enrichment", streams.enrichment());
        if (!System.getenv().containsKey("GEOIP_DATABASE")) {
            out.printf("  %-22s %s%n", "", "IP geolocation by DB-IP (https://db-ip.com), CC BY 4.0");
        }
        out.printf("  %-22s %s%n", "Kafka Connect", connect.describe());
        connect.metricsUrl().ifPresent(url -> out.printf("  %-22s %s%n", "Connect metrics", url));
        connect.provisioningMetricsUrl().ifPresent(url -> out.printf("  %-22s %s%n", "Provisioning metrics", url));
        List<String> mailLines = mail.describe();
        for (int i = 0; i < mailLines.size(); i++) {
            out.printf("  %-22s %s%n", i == 0 ? "Welcome mails" : "", mailLines.get(i));
        }
        out.printf(
                "  %-22s %s%n",
                "Gateway",
                gateway.map(LocalGateway::describe)
                        .orElse(
                                "not started: set AUTH0_LOG_STREAM_AUTHORIZATION or another route credential (see README)"));
        out.println();
        out.println("  topics (" + settings.partitions() + " partitions each):");
        for (Topic<?, ?> topic : Topics.ALL) {
            out.printf(
                    "    %-32s %s%n",
                    topic.name(),
                    topic.compacted()
                            ? "compacted"
                            : "retention "
                                    + topic.retention()
                                            .map(r -> r.toDays() + " d")
                                            .orElse("default"));
        }
        out.println();
        out.println("Ctrl-C stops everything cleanly.");
        stopped.await();
    }
}
