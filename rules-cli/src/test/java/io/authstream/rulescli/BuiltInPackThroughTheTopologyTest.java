package io.authstream.rulescli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.enrich.Enricher;
import io.authstream.enrich.EnrichmentSettings;
import io.authstream.streams.rules.RuleCaseRunner;
import io.authstream.streams.rules.RuleCaseRunner.CaseResult;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleFileLoader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every case of the built-in pack through the production topology (TopologyTestDriver), and the
 * topology agrees with the reference semantics on each: the same number of alerts.
 */
class BuiltInPackThroughTheTopologyTest {

    private static Enricher enricher;

    @BeforeAll
    static void open() {
        enricher = Enricher.open(new EnrichmentSettings(List.of(), false, 0));
    }

    @AfterAll
    static void close() {
        enricher.close();
    }

    @Test
    void everyBuiltInCasePassesInTheTopologyAsInTheReference() {
        List<RuleDefinition> rules = RuleFileLoader.builtIn();
        TopologyCaseRunner runner = new TopologyCaseRunner(enricher);
        List<String> failures = new ArrayList<>();
        List<String> disagreements = new ArrayList<>();
        int cases = 0;
        for (RuleDefinition rule : rules) {
            List<CaseResult> reference = RuleCaseRunner.run(rule);
            for (int i = 0; i < rule.tests().size(); i++) {
                cases++;
                CaseResult topology = runner.run(rules, rule, rule.tests().get(i));
                if (!topology.passed()) {
                    failures.add(topology.toString());
                }
                if (topology.alerts().size() != reference.get(i).alerts().size()) {
                    disagreements.add(rule.id() + " / " + topology.caseName() + ": topology "
                            + topology.alerts().size() + " alert(s), reference "
                            + reference.get(i).alerts().size());
                }
            }
        }
        assertThat(cases).isGreaterThanOrEqualTo(40);
        assertThat(failures).as("cases failed in the topology").isEmpty();
        assertThat(disagreements).as("topology and reference disagree").isEmpty();
    }
}
