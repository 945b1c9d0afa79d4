package io.authstream.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code authstream rules ...} runs bin/rules' commands: the same output and exit status. */
class RulesDelegationTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return AuthstreamCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
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
            """;

    @Test
    void rulesTestRunsTheFilesCasesThroughTheTopology() throws IOException {
        Path passing = Files.writeString(dir.resolve("pass.yml"), RULE.formatted(1));
        assertThat(run("rules", "test", passing.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("three changes alert");

        Path failing = Files.writeString(dir.resolve("fail.yml"), RULE.formatted(2));
        assertThat(run("rules", "test", failing.toString())).isEqualTo(1);
    }

    @Test
    void helpListsTheRulesCommandsAndAnUnknownOneIsAUsageError() {
        assertThat(run("rules", "--help")).isZero();
        assertThat(out.toString()).contains("test").contains("publish").contains("withdraw");
        assertThat(run("rules", "nonsense")).isEqualTo(2);
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("replay").contains("auth0").contains("rules");
    }
}
