package io.authstream.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What one module's tests left in a build run.
 *
 * @param outputs its test JVMs' console copies and child process logs (test-records' directory),
 *        and surefire's and failsafe's dump streams of this run: what a process wrote straight to
 *        the forked JVM's file descriptors, past {@code System.out}
 * @param secretFiles the files its test JVMs recorded their secrets in
 * @param testsRan whether surefire or failsafe reported a test class of this module in this run
 */
record ModuleRecords(String module, List<Path> outputs, List<Path> secretFiles, boolean testsRan) {

    /** Maven's defaults; no module of ours moves them. */
    private static final List<String> REPORT_DIRECTORIES =
            List.of("target/surefire-reports", "target/failsafe-reports");

    static ModuleRecords read(Path root, String module, BuildRun run) throws IOException {
        Path directory = root.resolve(module);
        List<Path> outputs = new ArrayList<>(files(directory.resolve(run.output())));
        boolean testsRan = false;
        for (String reports : REPORT_DIRECTORIES) {
            for (Path report : files(directory.resolve(reports))) {
                if (!modifiedBefore(report, run.start())) {
                    String name = report.getFileName().toString();
                    testsRan |= name.startsWith("TEST-") && name.endsWith(".xml");
                    if (name.endsWith(".dumpstream")) {
                        outputs.add(report);
                    }
                }
            }
        }
        return new ModuleRecords(module, outputs, files(directory.resolve(run.secrets())), testsRan);
    }

    static boolean hasTests(Path root, String module) {
        return Files.isDirectory(root.resolve(module).resolve("src/test/java"));
    }

    private static List<Path> files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            return tree.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static boolean modifiedBefore(Path file, Instant start) throws IOException {
        return Files.getLastModifiedTime(file).toInstant().isBefore(start);
    }
}
