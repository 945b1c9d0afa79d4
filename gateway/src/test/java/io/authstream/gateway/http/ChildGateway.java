package io.authstream.gateway.http;

import io.authstream.embedded.ChildJvm;
import io.authstream.gateway.GatewayMain;
import io.authstream.teststack.TestStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway as production runs it: {@link GatewayMain} in its own JVM, configured by
 * environment variables, here pointed at a test stack. Its memory is its own (the test JVM also
 * holds the broker and DynamoDB Local), and so is its log, which it writes with its production
 * logging settings.
 */
final class ChildGateway implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("authstream gateway listening on (http://\\S+)");
    private static final Pattern HEAP_POOL =
            Pattern.compile("^jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)$", Pattern.MULTILINE);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ChildJvm jvm;
    private final String url;

    private ChildGateway(ChildJvm jvm, String url) {
        this.jvm = jvm;
        this.url = url;
    }

    /**
     * Creates the catalogue topics and starts a gateway on a free port with {@code env}
     * (credentials, limits) and {@code jvmOptions}; its output goes to {@code log}.
     */
    static ChildGateway start(TestStack stack, Map<String, String> env, List<String> jvmOptions, Path log)
            throws IOException, InterruptedException {
        ChildJvm jvm = ChildJvm.start(GatewayMain.class, jvmOptions, TestGateway.environment(stack, env), log);
        try {
            jvm.awaitOutput("authstream gateway listening on ", Duration.ofSeconds(60));
            Matcher listening = LISTENING.matcher(jvm.output());
            if (!listening.find()) {
                throw new IllegalStateException("no address in the gateway's output; see " + log);
            }
            return new ChildGateway(jvm, listening.group(1));
        } catch (IOException | InterruptedException | RuntimeException e) {
            jvm.close();
            throw e;
        }
    }

    String url() {
        return url;
    }

    /** What the gateway has written to its log (stdout and stderr) since it started. */
    String output() throws IOException {
        return jvm.output();
    }

    Path log() {
        return jvm.log();
    }

    double rssMiB() throws IOException {
        return jvm.rssMiB();
    }

    double peakRssMiB() throws IOException {
        return jvm.peakRssMiB();
    }

    /**
     * Heap in use right after a full collection, in MiB: {@code jcmd GC.run} collects, then the
     * heap pools are read from the gateway's own {@code /metrics}, as an operator would.
     */
    double heapAfterGcMiB() throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(jvm.pid()),
                        "GC.run")
                .redirectErrorStream(true)
                .start();
        String said = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (jcmd.waitFor() != 0) {
            throw new IllegalStateException("jcmd GC.run failed: " + said);
        }
        String metrics = HTTP.send(
                        HttpRequest.newBuilder(URI.create(url + "/metrics"))
                                .timeout(Duration.ofSeconds(30))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        Matcher pools = HEAP_POOL.matcher(metrics);
        double bytes = 0;
        int found = 0;
        while (pools.find()) {
            bytes += Double.parseDouble(pools.group(1));
            found++;
        }
        if (found == 0) {
            throw new IllegalStateException("no heap pools in the gateway's /metrics");
        }
        return bytes / (1024 * 1024);
    }

    /** SIGTERM: the gateway's shutdown hook stops the server and flushes the producer. */
    @Override
    public void close() {
        jvm.close();
    }
}
