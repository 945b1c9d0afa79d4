package io.authstream.buildchecks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus with Prometheus's own tool: {@code promtool check rules} on alerts.yml,
 * {@code promtool test rules} on alerts.test.yml (every alert firing and not firing, on series as
 * the apps name them), {@code promtool check config} on prometheus.yml; and the rules' own
 * conventions: every alert has a severity, a summary and a one-line runbook, and is tested both
 * ways. promtool is Debian's {@code prometheus} package ({@code .ci/run} installs it); without it
 * the promtool tests fail, unless {@code -Dpromtool.skip=true} (they are skipped then).
 */
class PrometheusRulesTest {

    private static final Path ROOT = Path.of(System.getProperty("authstream.root", ".."));
    private static final Path DIR = ROOT.resolve("deploy").resolve("prometheus");
    private static final Set<String> SEVERITIES = Set.of("critical", "warning");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** promtool from the PATH; the test is skipped with -Dpromtool.skip=true and fails without it otherwise. */
    private static Path promtoolOnPath() {
        Assumptions.assumeFalse(Boolean.getBoolean("promtool.skip"), "promtool.skip=true: promtool is not run");
        return onPath("promtool")
                .orElseThrow(() -> new AssertionError("promtool is not on the PATH, and these tests need it: install "
                        + "Debian's prometheus package (sudo apt-get install -y --no-install-recommends prometheus; "
                        + ".ci/run does), or leave these tests out with -Dpromtool.skip=true"));
    }

    private static Optional<Path> onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isBlank())
                .map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Runs promtool with {@code args} in deploy/prometheus; its exit code and what it printed. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(promtoolOnPath().toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("promtool", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(process.exitValue())
                    .as("%s exited with %d:%n%s", String.join(" ", command), process.exitValue(), printed)
                    .isZero();
            return printed;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    @Test
    void theRulesAreValid() throws Exception {
        assertThat(promtool("check", "rules", "alerts.yml")).contains("SUCCESS");
    }

    @Test
    void theRuleTestsPass() throws Exception {
        assertThat(promtool("test", "rules", "alerts.test.yml")).contains("SUCCESS");
    }

    @Test
    void theScrapeConfigIsValidAndLoadsTheRules() throws Exception {
        assertThat(promtool("check", "config", "prometheus.yml"))
                .contains("SUCCESS")
                .contains("1 rule files found");
    }

    @Test
    void everyAlertHasASeverityASummaryAndAOneLineRunbookAndIsTestedFiringAndNot() throws IOException {
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : YAML.readTree(DIR.resolve("alerts.yml").toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                if (rule.has("alert")) {
                    assertThat(alerts.put(rule.get("alert").asText(), rule))
                            .as("alert %s defined once", rule.get("alert").asText())
                            .isNull();
                }
            }
        }
        assertThat(alerts).as("the issue's alerts and the others").hasSizeGreaterThanOrEqualTo(9);
        alerts.forEach((name, rule) -> {
            assertThat(rule.path("labels").path("severity").asText())
                    .as("%s severity", name)
                    .isIn(SEVERITIES);
            assertThat(rule.path("annotations").path("summary").asText())
                    .as("%s summary", name)
                    .isNotBlank();
            assertThat(rule.path("annotations").path("runbook").asText())
                    .as("%s runbook, one line", name)
                    .isNotBlank()
                    .doesNotContain("\n");
        });

        Set<String> firing = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (JsonNode test :
                YAML.readTree(DIR.resolve("alerts.test.yml").toFile()).get("tests")) {
            for (JsonNode check : test.path("alert_rule_test")) {
                String name = check.get("alertname").asText();
                assertThat(alerts).as("the tests' alert %s", name).containsKey(name);
                (check.path("exp_alerts").isEmpty() ? quiet : firing).add(name);
            }
        }
        assertThat(firing).as("alerts tested firing").containsExactlyInAnyOrderElementsOf(alerts.keySet());
        assertThat(quiet).as("alerts tested not firing").containsExactlyInAnyOrderElementsOf(alerts.keySet());
    }
}
