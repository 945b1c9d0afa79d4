package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.streams.rules.RuleCaseRunner.CaseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every rule file of the built-in pack loads, is listed in {@link RuleFileLoader#BUILT_IN}, and every case passes. */
class BuiltInPackTest {

    private static final Path PACK = Path.of("src/main/resources/rules");

    @Test
    void everyFileUnderResourcesRulesIsListedAndLoads() throws IOException {
        List<String> files;
        try (Stream<Path> paths = Files.list(PACK)) {
            files = paths.map(p -> "rules/" + p.getFileName())
                    .filter(p -> p.endsWith(".yml") || p.endsWith(".yaml"))
                    .sorted()
                    .toList();
        }
        assertThat(files).isNotEmpty();
        assertThat(RuleFileLoader.BUILT_IN).containsExactlyInAnyOrderElementsOf(files);
        for (String file : files) {
            assertThat(RuleFileLoader.load(PACK.resolve(Path.of(file).getFileName())))
                    .as(file)
                    .isNotEmpty();
        }
    }

    @Test
    void theTenantTamperingFamilyHasItsRules() {
        assertThat(RuleFileLoader.builtIn())
                .extracting(RuleDefinition::id)
                .contains(
                        "auth0-brute-force-protection-disabled",
                        "auth0-breached-password-detection-disabled",
                        "auth0-suspicious-ip-throttling-disabled",
                        "auth0-bot-detection-disabled",
                        "auth0-mfa-policy-never",
                        "auth0-mfa-risk-assessment-disabled",
                        "auth0-mfa-factor-disabled",
                        "auth0-mfa-factor-enabled",
                        "auth0-post-login-action-flow-changed",
                        "auth0-custom-role-created",
                        "auth0-integration-installed",
                        "auth0-tenant-member-invited",
                        "auth0-tenant-admin-invited",
                        "auth0-tenant-member-joined",
                        "auth0-tenant-member-removed",
                        "auth0-dynamic-client-registration-burst")
                .doesNotHaveDuplicates();
    }

    @Test
    void theLimitsFamilyHasItsRules() {
        assertThat(RuleFileLoader.builtIn())
                .extracting(RuleDefinition::id)
                .contains(
                        "auth0-api-rate-limit",
                        "auth0-mfa-otp-rate-limit",
                        "auth0-mfa-recovery-rate-limit",
                        "auth0-delegation-rate-limit")
                .doesNotHaveDuplicates();
    }

    @Test
    void theCredentialAttacksFamilyHasItsRules() {
        assertThat(RuleFileLoader.builtIn())
                .extracting(RuleDefinition::id)
                .contains(
                        "auth0-cross-origin-auth-failure-burst",
                        "auth0-cross-origin-auth-success-burst",
                        "auth0-password-spray-slow",
                        "auth0-signup-breached-password",
                        "auth0-signup-volume-per-client")
                .doesNotHaveDuplicates();
    }

    @Test
    void theMfaFamilyHasItsRules() {
        assertThat(RuleFileLoader.builtIn())
                .extracting(RuleDefinition::id)
                .contains("auth0-mfa-phone-shared-by-users", "auth0-mfa-push-denied-then-accepted")
                .doesNotHaveDuplicates();
    }

    @Test
    void everyRuleHasAPositiveAndANegativeCase() {
        List<RuleDefinition> rules = RuleFileLoader.builtIn();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
        for (RuleDefinition rule : rules) {
            assertThat(rule.tests()).as(rule.id()).anyMatch(RuleTestCase::expectAlert);
            assertThat(rule.tests()).as(rule.id()).anyMatch(c -> !c.expectAlert());
        }
    }

    @Test
    void everyCaseOfThePackPasses() {
        List<RuleDefinition> rules = RuleFileLoader.builtIn();
        List<CaseResult> results = RuleCaseRunner.runAll(rules);
        int cases = rules.stream().mapToInt(r -> r.tests().size()).sum();
        assertThat(results).hasSize(cases).hasSizeGreaterThanOrEqualTo(12);
        assertThat(results.stream().filter(r -> !r.passed()).map(CaseResult::toString))
                .as("failed cases")
                .isEmpty();
    }

    /**
     * Counting rules may share events (a failed login counts for brute force and for credential
     * stuffing), but no event is an alert by itself for two rules: one change, one alert.
     */
    @Test
    void onePackMatcherFindsEachRuleAndNoEventIsTwoSingleEventAlerts() {
        List<RuleDefinition> rules = RuleFileLoader.builtIn();
        RuleMatcher all = RuleMatcher.of(rules);
        Set<String> stateless = new HashSet<>();
        rules.stream().filter(RuleDefinition::stateless).forEach(r -> stateless.add(r.id()));
        for (RuleDefinition rule : rules) {
            for (RuleTestCase test : rule.tests()) {
                if (test.expectAlert()) {
                    List<String> matched = all.matches(test.events().get(0));
                    assertThat(matched).as(rule.id() + " / " + test.name()).contains(rule.id());
                    assertThat(matched.stream().filter(stateless::contains))
                            .as(rule.id() + " / " + test.name() + ": single-event rules matched")
                            .hasSizeLessThanOrEqualTo(1);
                }
            }
        }
    }
}
