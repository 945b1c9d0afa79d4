package io.authstream.testrecords;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** In the test JVM surefire runs, where the service registration has installed the copy. */
class ConsoleCopyTest {

    @Test
    void whatThisJvmPrintsToStandardOutputAndErrorIsInItsConsoleFile() throws Exception {
        String out = "to standard output " + UUID.randomUUID();
        String err = "to standard error " + UUID.randomUUID();
        System.out.println(out);
        System.err.println(err);
        Path directory = Path.of(System.getProperty(TestOutput.DIRECTORY_PROPERTY));
        try (Stream<Path> files = Files.list(directory)) {
            List<Path> consoles = files.filter(f -> f.getFileName()
                            .toString()
                            .startsWith(ProcessHandle.current().pid() + "-console-"))
                    .toList();
            assertThat(consoles).hasSize(1);
            assertThat(Files.readAllLines(consoles.get(0))).first().asString().startsWith("console of test JVM");
            assertThat(Files.readAllLines(consoles.get(0))).contains(out, err);
        }
    }

    @Test
    void newFilesOfOneJvmDoNotOverwriteEachOther() throws IOException {
        Path first = TestOutput.newFile("child");
        Path second = TestOutput.newFile("child");
        try {
            assertThat(first).isNotEqualTo(second).hasParent(second.getParent());
            assertThat(first.getFileName().toString())
                    .startsWith(ProcessHandle.current().pid() + "-child-")
                    .endsWith(".log");
        } finally {
            Stream.of(first, second).forEach(ConsoleCopyTest::delete);
        }
    }

    private static void delete(Path file) {
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
