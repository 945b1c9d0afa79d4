package io.authstream.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretScannerTest {

    @TempDir
    Path directory;

    @Test
    void aSecretInsideAnotherIsMaskedWithItAndEverySecretOnTheLineIsMasked() {
        SecretScanner scanner = new SecretScanner(List.of("t0k3n-123456", "Bearer t0k3n-123456", "pass-123456"));
        assertThat(scanner.mask("Authorization: Bearer t0k3n-123456, then t0k3n-123456 and pass-123456."))
                .isEqualTo("Authorization: ****, then **** and ****.");
    }

    @Test
    void eachLineIsReportedOnceWithItsNumberEvenWithSeveralSecretsOnIt() throws IOException {
        Path file = Files.writeString(
                directory.resolve("a.log"), "clean\r\nsecret-one-1 and secret-two-2\r\nclean\r\nsecret-two-2");
        SecretScanner.ScanResult result =
                new SecretScanner(List.of("secret-one-1", "secret-two-2")).scan(List.of(file));
        assertThat(result.leaks()).extracting(SecretScanner.Leak::line).containsExactly(2L, 4L);
        assertThat(result.leaks().get(0).maskedLine()).isEqualTo("**** and ****");
        assertThat(result.lines()).isEqualTo(4);
        assertThat(result.bytes()).isEqualTo(Files.size(file));
    }

    @Test
    void aLongLineIsCutToAWindowAroundItsFirstSecret() throws IOException {
        Path file = Files.writeString(
                directory.resolve("long.log"), "x".repeat(5000) + "secret-value-9" + "y".repeat(5000));
        String shown = new SecretScanner(List.of("secret-value-9"))
                .scan(List.of(file))
                .leaks()
                .get(0)
                .maskedLine();
        assertThat(shown)
                .startsWith("[...]x")
                .contains("x****y")
                .endsWith("y[...]")
                .hasSizeLessThan(420);
    }

    @Test
    void bytesThatAreNotUtf8DoNotStopTheScan() throws IOException {
        Path file = Files.write(
                directory.resolve("raw.log"),
                new byte[] {(byte) 0xff, (byte) 0xfe, '\n', 'k', 'e', 'y', '-', '1', '2', '3', '4', '5'});
        assertThat(new SecretScanner(List.of("key-12345")).scan(List.of(file)).leaks())
                .singleElement()
                .satisfies(leak -> assertThat(leak.line()).isEqualTo(2));
    }

    @Test
    void anEmptyFileHasNoLines() throws IOException {
        Path file = Files.writeString(directory.resolve("empty.log"), "");
        assertThat(new SecretScanner(List.of("key-12345")).scan(List.of(file)).lines())
                .isZero();
    }
}
