package io.authstream.audit;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One Maven invocation as the audit sees it: the project root, the run id, and where in each
 * module's directory that run's test JVMs wrote their output and their secrets.
 *
 * @param start when the build started; report files older than this are an earlier build's
 */
record BuildRun(Path root, String id, Instant start, Path output, Path secrets) {

    /** The run id is the build's start time in the root pom's {@code maven.build.timestamp.format}. */
    private static final DateTimeFormatter ID =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    static BuildRun of(Path root, String id, String output, String secrets) {
        return new BuildRun(root, id, ID.parse(id, Instant::from), Path.of(output), Path.of(secrets));
    }

    /** As the build's failsafe configuration (secret-audit/pom.xml) describes it. */
    static BuildRun fromSystemProperties() {
        return of(
                Path.of(required("authstream.audit.root")).normalize(),
                required("authstream.audit.run"),
                required("authstream.audit.output"),
                required("authstream.audit.secrets"));
    }

    static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank() || value.contains("${")) {
            throw new IllegalStateException(
                    property + " is not set: the audit runs in the Maven build (./mvnw verify)");
        }
        return value;
    }
}
