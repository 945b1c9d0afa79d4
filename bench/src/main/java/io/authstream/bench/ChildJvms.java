package io.authstream.bench;

import io.authstream.embedded.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** The benchmarks' child JVMs: one heap cap for all, so peak RSS figures compare like with like; a log each. */
final class ChildJvms {

    /** Override with BENCH_CHILD_JAVA_OPTS (e.g. to add a JFR recording). */
    private static final String DEFAULT_JAVA_OPTS = "-Xmx1g";

    private ChildJvms() {}

    static String javaOpts() {
        return System.getenv().getOrDefault("BENCH_CHILD_JAVA_OPTS", DEFAULT_JAVA_OPTS);
    }

    static ChildJvm start(String name, Class<?> main, Map<String, String> env, Path logDir, String... args)
            throws IOException {
        return ChildJvm.start(
                main,
                Arrays.stream(javaOpts().trim().split("\\s+"))
                        .filter(o -> !o.isEmpty())
                        .toList(),
                env,
                logDir.resolve(name + ".log"),
                args);
    }
}
