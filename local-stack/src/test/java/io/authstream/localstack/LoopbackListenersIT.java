package io.authstream.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.authstream.embedded.EmbeddedStack;
import io.authstream.embedded.FreePorts;
import io.authstream.schemas.GeneratedClasses;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as {@code bin/local-stack} starts it (Kafka and its controller, the schema
 * registry, DynamoDB Local, the Streams app's HTTP server, Connect's REST API and its Prometheus
 * metrics, the gateway, the mail server's SMTP, IMAP and POP3) listens
 * on loopback only: nothing of this JVM listens elsewhere, and connections to the machine's other
 * IPv4 addresses are refused.
 */
class LoopbackListenersIT {

    @Test
    void everyServerOfTheLocalStackListensOnLoopbackOnly(@TempDir Path dataDir) throws Exception {
        Map<String, String> ports = new LinkedHashMap<>();
        ports.put("AUTHSTREAM_DATA_DIR", dataDir.toString());
        // A port just freed can be handed out again at once: five different ones.
        Set<Integer> free = new LinkedHashSet<>();
        while (free.size() < 5) {
            free.add(FreePorts.next());
        }
        Iterator<Integer> port = free.iterator();
        for (String setting : List.of(
                "AUTHSTREAM_KAFKA_PORT",
                "AUTHSTREAM_KAFKA_CONTROLLER_PORT",
                "AUTHSTREAM_SCHEMA_REGISTRY_PORT",
                "AUTHSTREAM_DYNAMODB_PORT")) {
            ports.put(setting, Integer.toString(port.next()));
        }
        EmbeddedStack.Settings settings = LocalStackConfig.parse(ports, new String[0]);
        GeneratedClasses.trust();
        try (EmbeddedStack stack = new EmbeddedStack(settings, step -> {}).start()) {
            LocalEndpoints endpoints = LocalEndpoints.of(stack);
            Map<String, String> env = TestEnvironments.logStreamPipeline("loopback", "Bearer " + UUID.randomUUID());
            env.put("CONNECT_METRICS_PORT", Integer.toString(port.next()));
            try (LocalGateway gateway =
                            LocalGateway.startIfConfigured(env, endpoints).orElseThrow();
                    LocalStreamsApp streams = LocalStreamsApp.start(env, endpoints, dataDir.resolve("streams"));
                    LocalMail mail = LocalMail.start(0, 0, 0, dataDir.resolve("mail"));
                    LocalConnect connect = LocalConnect.start(
                            env,
                            endpoints,
                            "loopback-connect",
                            dataDir.resolve("connect-secrets"),
                            Optional.of(mail))) {
                Map<String, Integer> servers = new LinkedHashMap<>();
                servers.put("Kafka", settings.kafkaPort());
                servers.put("KRaft controller", settings.controllerPort());
                servers.put("Schema Registry", settings.registryPort());
                servers.put("DynamoDB Local", settings.dynamoDbPort());
                servers.put("Streams app HTTP", URI.create(streams.httpUrl()).getPort());
                servers.put("Kafka Connect REST", connect.restUrl().getPort());
                servers.put(
                        "Kafka Connect metrics",
                        connect.metricsUrl().orElseThrow().getPort());
                servers.put("gateway", URI.create(gateway.url()).getPort());
                servers.put("mail SMTP", mail.smtpPort());
                servers.put("mail IMAP", mail.imapPort());
                servers.put("mail POP3", mail.pop3Port());

                for (Map.Entry<String, Integer> server : servers.entrySet()) {
                    try (Socket socket = new Socket()) {
                        socket.connect(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getValue()), 5_000);
                    }
                }
                if (ListeningSockets.readable()) {
                    List<InetSocketAddress> listening = ListeningSockets.ofThisJvm();
                    assertThat(listening.stream().map(InetSocketAddress::getPort))
                            .as("the servers found in /proc")
                            .containsAll(servers.values());
                    assertThat(listening)
                            .allSatisfy(socket -> assertThat(socket.getAddress().isLoopbackAddress())
                                    .as(
                                            "%s listens on %s (the servers: %s)",
                                            socket.getPort(),
                                            socket.getAddress().getHostAddress(),
                                            servers)
                                    .isTrue());
                }
                List<InetAddress> others = HostAddresses.nonLoopbackIpv4();
                assumeFalse(others.isEmpty(), "this machine has no IPv4 address but loopback to try");
                for (InetAddress address : others) {
                    for (Map.Entry<String, Integer> server : servers.entrySet()) {
                        assertThatThrownBy(() -> {
                                    try (Socket socket = new Socket()) {
                                        socket.connect(new InetSocketAddress(address, server.getValue()), 5_000);
                                    }
                                })
                                .as("%s on %s:%d", server.getKey(), address.getHostAddress(), server.getValue())
                                .isInstanceOf(ConnectException.class);
                    }
                }
            }
        }
    }
}
