package io.authstream.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit over a made-up build: a root pom, modules with tests, their output and secrets of one run. */
class SecretAuditTest {

    private static final String RUN = "20260101T000000.000Z";
    private static final String SECRET = "planted-secret-4711";

    @TempDir
    Path root;

    private BuildRun run;

    @BeforeEach
    void aBuildOfTwoModulesWithTestsAndOneWithout() throws IOException {
        Files.writeString(root.resolve("pom.xml"), """
                <project><modules><module>alpha</module><module>beta</module><module>no-tests</module><module>audit</module></modules>
                <build><plugins><plugin><configuration><module>not a module</module></configuration></plugin></plugins></build>
                </project>""");
        for (String module : new String[] {"alpha", "beta", "audit"}) {
            Files.createDirectories(root.resolve(module).resolve("src/test/java"));
        }
        Files.createDirectories(root.resolve("no-tests/src/main/java"));
        run = BuildRun.of(root, RUN, "target/test-output/" + RUN, "target/test-secrets/" + RUN);
    }

    @Test
    void aPlantedSecretIsFoundWithItsFileAndLineAndShownMasked() throws IOException {
        ranTests("alpha");
        ranTests("beta");
        secrets("alpha", SECRET, "Bearer " + SECRET);
        output("alpha", "1-console-1.log", "console of test JVM 1\nnothing here\n");
        Path leaking =
                output("beta", "2-console-2.log", "first line\nconnecting with Bearer " + SECRET + " now\nlast line\n");

        SecretAudit audit = SecretAudit.of(run, root.resolve("audit"));

        assertThat(audit.scan().leaks()).singleElement().satisfies(leak -> {
            assertThat(leak.file()).isEqualTo(leaking);
            assertThat(leak.line()).isEqualTo(2);
            assertThat(leak.maskedLine()).isEqualTo("connecting with **** now").doesNotContain(SECRET);
        });
        assertThat(audit.problems())
                .anySatisfy(p -> assertThat(p).contains("1 output line(s) hold a secret"))
                .anySatisfy(p -> assertThat(p)
                        .isEqualTo("  beta/target/test-output/" + RUN + "/2-console-2.log:2: connecting with **** now"))
                .noneSatisfy(p -> assertThat(p).contains(SECRET));
        assertThat(audit.scan().files()).isEqualTo(2);
        assertThat(audit.scan().lines()).isEqualTo(5);
        assertThat(audit.secrets()).isEqualTo(2);
    }

    @Test
    void cleanOutputPassesAndItsFiguresSayWhatWasChecked() throws IOException {
        ranTests("alpha");
        ranTests("beta");
        secrets("beta", SECRET);
        output("alpha", "1-console-1.log", "console of test JVM 1\n");
        output("beta", "2-console-2.log", "console of test JVM 2\nplanted-secret but not the whole of it\n");
        output("beta", "2-streams-app-3.log", "a child's log, no newline at the end");

        SecretAudit audit = SecretAudit.of(run, root.resolve("audit"));

        assertThat(audit.problems()).isEmpty();
        assertThat(audit.audited()).containsExactly("alpha", "beta");
        assertThat(audit.figures())
                .contains(RUN, "3 files", "4 lines", "of 2 modules", "1 secrets", "did not run in this build: none");
    }

    @Test
    void findingNoSecretOrNoOutputFails() throws IOException {
        ranTests("alpha");
        SecretAudit audit = SecretAudit.of(run, root.resolve("audit"));
        assertThat(audit.problems())
                .anySatisfy(p -> assertThat(p).startsWith("no test recorded a secret"))
                .anySatisfy(p -> assertThat(p).startsWith("no test JVM left output"));
    }

    @Test
    void aModuleThatRanTestsButLeftNoOutputFailsButOneWhoseTestsDidNotRunIsOnlyNamed() throws IOException {
        ranTests("alpha");
        secrets("alpha", SECRET);
        output("alpha", "1-console-1.log", "console of test JVM 1\n");
        Path betaReport = ranTests("beta");

        assertThat(SecretAudit.of(run, root.resolve("audit")).problems())
                .containsExactly("beta ran tests in this build but left no output in beta/target/test-output/" + RUN
                        + ": are test-records (a test dependency) and its console copy missing?");

        // A report from an earlier build, and output of another run, do not count.
        Files.setLastModifiedTime(betaReport, FileTime.from(Instant.parse("2025-12-31T23:59:59Z")));
        Path otherRun = root.resolve("beta/target/test-output/20251231T000000.000Z/9-console-9.log");
        Files.createDirectories(otherRun.getParent());
        Files.writeString(otherRun, "Bearer " + SECRET + "\n");
        SecretAudit audit = SecretAudit.of(run, root.resolve("audit"));
        assertThat(audit.problems()).isEmpty();
        assertThat(audit.notRun()).containsExactly("beta");
        assertThat(audit.figures()).contains("did not run in this build: beta");
    }

    @Test
    void outputThatSkippedSystemOutIsReadFromTheDumpStreamsOfThisRun() throws IOException {
        ranTests("alpha");
        secrets("alpha", SECRET);
        output("alpha", "1-console-1.log", "console of test JVM 1\n");
        Path dump = root.resolve("alpha/target/failsafe-reports/2026-01-01T00-00-01_000-jvmRun1.dumpstream");
        Files.createDirectories(dump.getParent());
        Files.writeString(
                dump,
                "Corrupted channel by directly writing to native stream in forked JVM 1.\nnode: " + SECRET + "\n");

        assertThat(SecretAudit.of(run, root.resolve("audit")).scan().leaks())
                .singleElement()
                .satisfies(leak -> assertThat(leak.file()).isEqualTo(dump));
    }

    private Path ranTests(String module) throws IOException {
        Path report = root.resolve(module).resolve("target/surefire-reports/TEST-" + module + ".SomeTest.xml");
        Files.createDirectories(report.getParent());
        return Files.writeString(report, "<testsuite/>");
    }

    private void secrets(String module, String... secrets) throws IOException {
        Path file = root.resolve(module).resolve("target/test-secrets/" + RUN + "/1-123.secrets");
        Files.createDirectories(file.getParent());
        Files.writeString(file, String.join("\n", secrets) + "\n");
    }

    private Path output(String module, String name, String content) throws IOException {
        Path file = root.resolve(module).resolve("target/test-output/" + RUN).resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }
}
