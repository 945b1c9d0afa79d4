package io.authstream.embedded;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.dynamodb.services.local.main.CommandLineInput;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBRequestHandler;
import software.amazon.dynamodb.services.local.server.LocalDynamoDBServerHandler;

/**
 * DynamoDB Local served over HTTP on loopback, in this JVM. With a data directory it keeps its
 * tables in a file there (surviving restarts); without one it runs in memory.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {

    /** DynamoDB Local accepts any credentials; these are placeholders, not secrets. */
    public static final String LOCAL_ACCESS_KEY = "local";

    public static final String LOCAL_SECRET_KEY = "local";
    public static final Region REGION = Region.US_EAST_1;

    private final int port;
    private final Optional<Path> dataDir;
    private LoopbackServer server;

    public EmbeddedDynamoDb(int port, Optional<Path> dataDir) {
        this.port = port;
        this.dataDir = dataDir;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public synchronized EmbeddedDynamoDb start() {
        if (server != null) {
            return this;
        }
        List<String> args = new ArrayList<>(List.of("-port", Integer.toString(port), "-disableTelemetry"));
        LoopbackServer starting = null;
        try {
            if (dataDir.isPresent()) {
                Files.createDirectories(dataDir.get());
                args.addAll(List.of("-dbPath", dataDir.get().toString(), "-sharedDb"));
            } else {
                args.addAll(List.of("-inMemory", "-sharedDb"));
            }
            starting = LoopbackServer.of(port, args.toArray(String[]::new));
            starting.jetty().start();
            server = starting;
        } catch (Exception e) {
            if (starting != null) {
                try {
                    starting.stop();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new IllegalStateException(
                    "DynamoDB Local could not start on port " + port + ": " + e.getMessage(), e);
        }
        return this;
    }

    /**
     * DynamoDB Local's own server ({@code ServerRunner}, {@code DynamoDBProxyServer}) listens on
     * every interface and has no option for an address, so this is its Jetty server built again
     * around its request handler, as {@code ServerRunner.createServer} does, with the one
     * connector on loopback. Without a telemetry set-up (that is {@code ServerRunner}'s) it sends none.
     */
    private record LoopbackServer(Server jetty, LocalDynamoDBServerHandler handler) {

        static LoopbackServer of(int port, String[] args) throws Exception {
            CommandLineInput input = new CommandLineInput(args);
            if (!input.init()) {
                throw new IllegalArgumentException("DynamoDB Local refused the options " + String.join(" ", args));
            }
            LocalDynamoDBServerHandler handler = new LocalDynamoDBServerHandler(
                    new LocalDynamoDBRequestHandler(
                            0,
                            input.isInMemory(),
                            input.getDbPath(),
                            input.getSharedDb(),
                            input.shouldDelayTransientStatuses()),
                    input.getCorsParams());
            Server jetty = new Server();
            ServerConnector connector = new ServerConnector(jetty);
            connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
            connector.setPort(port);
            jetty.addConnector(connector);
            ContextHandler context = new ContextHandler();
            context.setHandler(handler);
            jetty.setHandler(new ContextHandlerCollection(context));
            return new LoopbackServer(jetty, handler);
        }

        /** As {@code DynamoDBProxyServer.stop}: the handler closes the database, so the next start can open its file. */
        void stop() throws Exception {
            try {
                jetty.stop();
            } finally {
                handler.close();
            }
        }
    }

    /** A client for this server (the caller closes it). */
    public DynamoDbClient client() {
        return clientFor(endpoint());
    }

    /** A client for a DynamoDB Local at {@code endpoint}: any region and credentials do, these are fixed. */
    public static DynamoDbClient clientFor(String endpoint) {
        return DynamoDbClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(REGION)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY)))
                .build();
    }

    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        } finally {
            server = null;
        }
    }
}
