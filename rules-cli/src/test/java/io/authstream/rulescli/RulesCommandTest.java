package io.authstream.rulescli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/rules test}: what it prints and its exit status, for passing, failing and refused files. */
class RulesCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return RulesCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static final String RULE = """
            rules:
              - id: many-sapi-calls
                title: Many Management API changes by one client
                severity: MEDIUM
                description: A client making many changes.
                eventTypes: [sapi]
                runbook: Check what the client changed.
                match:
                  originalType: [sapi]
                groupBy: [clientId]
                threshold: 3
                window: 5m
                summary: "{count} changes by {clientId} within {window}"
                tests:
                  - name: three changes alert
                    expect: alert
                    alerts: %d
                    events:
                      - {type: tenant.changed, originalType: sapi, clientId: c1, repeat: 3, after: 1m}
                  - name: two changes do not
                    expect: none
                    events:
                      - {type: tenant.changed, originalType: sapi, clientId: c1, repeat: 2, after: 1m}
            """;

    @Test
    void aPassingFilePrintsEachCaseAndExitsZero() throws IOException {
        Path rules = file("mine.yml", RULE.formatted(1));
        assertThat(run("test", rules.toString())).as(err.toString()).isZero();
        assertThat(out.toString())
                .contains("[1/2] PASS many-sapi-calls / three changes alert")
                .contains("[2/2] PASS many-sapi-calls / two changes do not")
                .contains("1 rules, 2 cases: 2 passed, 0 failed");
    }

    @Test
    void aFailingCaseIsNamedAndExitsOne() throws IOException {
        Path rules = file("mine.yml", RULE.formatted(2));
        assertThat(run("test", dir.toString())).isEqualTo(1);
        assertThat(out.toString())
                .contains(
                        "FAIL many-sapi-calls / three changes alert: expected 2 alert(s): 3 of 3 events matched, 1 alert")
                .contains("2 cases: 1 passed, 1 failed");
        assertThat(rules).exists();
    }

    @Test
    void aRefusedFileNamesTheFileTheRuleAndTheProblem() throws IOException {
        Path rules = file("broken.yml", RULE.formatted(1).replace("threshold: 3", "threshold: three"));
        assertThat(run("test", rules.toString())).isEqualTo(1);
        assertThat(err.toString())
                .contains(rules + ": rule 'many-sapi-calls': threshold must be a whole number of at least 1");
    }

    @Test
    void everyCommandHasHelp() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("test", "publish", "withdraw");
        for (String command : new String[] {"test", "publish", "withdraw"}) {
            assertThat(run(command, "--help")).as(command).isZero();
        }
        assertThat(run("test")).as("no files").isEqualTo(2);
    }
}
