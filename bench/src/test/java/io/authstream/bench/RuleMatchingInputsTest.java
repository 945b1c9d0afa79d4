package io.authstream.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleDocument;
import io.authstream.streams.rules.RuleFileLoader;
import io.authstream.streams.rules.RuleMatcher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The rule benchmark's inputs are what its description says: mixed traffic, rules that load and that fire. */
class RuleMatchingInputsTest {

    @Test
    void theBuiltInPackAndAHundredUserRulesLoad() {
        List<RuleDefinition> rules = RuleMatchingInputs.rules();
        assertThat(rules).hasSize(RuleFileLoader.builtIn().size() + 100);
        assertThat(rules).extracting(RuleDefinition::id).doesNotHaveDuplicates();
        assertThat(RuleMatchingInputs.userRules())
                .extracting(RuleDefinition::match)
                .isEqualTo(RuleMatchingInputs.userRules().stream()
                        .map(RuleDefinition::match)
                        .toList());
    }

    @Test
    void theEventsAreMixedTrafficWithTheirRawRecord() {
        List<AuthEvent> events = RuleMatchingInputs.events(4096);
        assertThat(events).hasSize(4096);
        Map<String, Long> types =
                events.stream().collect(Collectors.groupingBy(AuthEvent::getType, Collectors.counting()));
        assertThat(types)
                .containsKeys(
                        "user.signed_in",
                        "user.sign_in_failed",
                        "credentials.exchanged",
                        "credentials.refreshed",
                        "mfa.succeeded",
                        "mfa.failed",
                        "api.operation",
                        "user.signed_out",
                        "user.blocked");
        assertThat(types.get("user.signed_in")).isBetween(700L, 1500L);
        assertThat(events)
                .allSatisfy(e -> assertThat(
                                RuleDocument.of(e).path("raw").path("type").isTextual())
                        .isTrue());
        assertThat(events.stream().map(AuthEvent::getSource).distinct()).hasSize(2);
        assertThat(RuleMatchingInputs.events(64)).isEqualTo(RuleMatchingInputs.events(64));
    }

    @Test
    void mostRulesFireOnSomeEventsAndNoneOnMostOfThem() {
        List<RuleDefinition> rules = RuleMatchingInputs.rules();
        RuleMatcher matcher = RuleMatcher.of(rules);
        List<AuthEvent> events = RuleMatchingInputs.events(4096);
        Map<String, Integer> fired = new HashMap<>();
        int matched = 0;
        for (AuthEvent event : events) {
            List<String> ids = matcher.matches(event);
            ids.forEach(id -> fired.merge(id, 1, Integer::sum));
            matched += ids.isEmpty() ? 0 : 1;
        }
        assertThat(fired).containsKeys("auth0-brute-force-protection-disabled", "auth0-custom-role-created");
        assertThat(fired.keySet().stream().filter(id -> id.startsWith("user-rule-")))
                .hasSizeGreaterThanOrEqualTo(40);
        assertThat(fired.values()).allMatch(n -> n < events.size() / 2);
        // The built-in pack counts every sign-in and failed login (multi-ip-sign-in, brute-force, ...),
        // so most events match some rule; the rest (sign-outs, verifications, ...) must match none.
        assertThat(matched).isBetween(events.size() / 20, events.size() * 9 / 10);
        assertThat(rules.stream().map(RuleDefinition::id).collect(Collectors.toMap(Function.identity(), id -> 0)))
                .containsKeys(fired.keySet().toArray(String[]::new));
    }
}
