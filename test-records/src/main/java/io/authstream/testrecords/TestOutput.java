package io.authstream.testrecords;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files for what a test JVM outputs (its console, the log of a process it starts), in the
 * directory the build names for each module's test JVMs ({@code authstream.test.output}, set in
 * the root pom), where the suite audit reads them.
 */
public final class TestOutput {

    static final String DIRECTORY_PROPERTY = "authstream.test.output";

    private TestOutput() {}

    /** Whether this JVM runs in a Maven build, which names the directory (an IDE's run does not). */
    static boolean inBuild() {
        return System.getProperty(DIRECTORY_PROPERTY) != null;
    }

    /**
     * A new, empty file {@code <pid>-<what>-<unique>.log}. A module's test JVMs share the directory,
     * and one class's file must not be overwritten by the next JVM's. Outside a Maven build it is
     * in the temporary directory, where no audit looks.
     */
    public static Path newFile(String what) throws IOException {
        Path directory = Path.of(System.getProperty(DIRECTORY_PROPERTY, System.getProperty("java.io.tmpdir")));
        Files.createDirectories(directory);
        return Files.createTempFile(directory, ProcessHandle.current().pid() + "-" + what + "-", ".log");
    }
}
