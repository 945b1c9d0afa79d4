package io.authstream.testrecords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TestSecretsTest {

    @Test
    void aCredentialIsRegisteredWithItsSecretPartsButNotItsSchemeOrUser() {
        TestSecrets.registerCredential("Bearer tok-1234567890");
        TestSecrets.registerCredential("auth0:pass-1234567890");
        TestSecrets.registerCredential("AKIDONE:secret-one-123, AKIDTWO:secret-two-123");
        String basicHeaderValue =
                Base64.getEncoder().encodeToString("auth0:pass-1234567890".getBytes(StandardCharsets.UTF_8));
        assertThat(TestSecrets.all())
                .contains(
                        "Bearer tok-1234567890",
                        "tok-1234567890",
                        "auth0:pass-1234567890",
                        "pass-1234567890",
                        basicHeaderValue,
                        "AKIDONE:secret-one-123",
                        "secret-one-123",
                        "secret-two-123")
                .doesNotContain("Bearer", "auth0", "AKIDONE", "AKIDTWO");
    }

    @Test
    void aSecretTooShortToBeToldFromOrdinaryTextIsRefused() {
        assertThatThrownBy(() -> TestSecrets.register("p")).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> TestSecrets.registerCredential("Bearer p")).hasMessageContaining("at least 8");
        assertThatThrownBy(() -> TestSecrets.registerCredential("admin:hunter2"))
                .hasMessageContaining("at least 8");
        assertThatThrownBy(() -> TestSecrets.register("two\nlines-secret")).hasMessageContaining("one line");
    }

    @Test
    void eachSecretIsWrittenOnceToThisJvmsFileInTheDirectoryTheBuildNames() throws Exception {
        String secret = "ledger-" + UUID.randomUUID();
        TestSecrets.register(secret);
        TestSecrets.register(secret);
        Path directory = Path.of(System.getProperty(TestSecrets.DIRECTORY_PROPERTY));
        try (Stream<Path> files = Files.list(directory)) {
            List<String> lines = files.filter(f -> f.getFileName()
                            .toString()
                            .startsWith(ProcessHandle.current().pid() + "-"))
                    .flatMap(TestSecretsTest::lines)
                    .toList();
            assertThat(lines).containsOnlyOnce(secret);
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
