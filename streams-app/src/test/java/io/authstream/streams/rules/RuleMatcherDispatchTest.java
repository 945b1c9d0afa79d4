package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.testing.SampleEvents;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

/**
 * The dispatch by type and original type: a rule is only left out for an event it could not
 * match, whatever form its type pattern has.
 */
class RuleMatcherDispatchTest {

    private static final RuleMatcher MATCHER = RuleMatcher.of(List.of(
            RuleMatcherTest.rule("failed", "{\"type\":[\"user.sign_in_failed\"]}"),
            RuleMatcherTest.rule("fp-only", "{\"type\":[\"user.sign_in_failed\"],\"originalType\":[\"fp\"]}"),
            RuleMatcherTest.rule("sign-prefix", "{\"type\":[{\"prefix\":\"user.sign\"}]}"),
            RuleMatcherTest.rule("or-types", "{\"$or\":[{\"type\":[\"user.signed_in\"]},{\"originalType\":[\"fp\"]}]}"),
            RuleMatcherTest.rule("any-with-ip", "{\"ip\":[{\"prefix\":\"203.0.113.\"}]}"),
            RuleMatcherTest.rule(
                    "no-original", "{\"type\":[\"user.signed_in\"],\"originalType\":[{\"exists\":false}]}")));

    private static AuthEvent event(String type, String originalType, String ip) {
        return AuthEvent.newBuilder(SampleEvents.minimal())
                .setType(type)
                .setOriginalType(originalType)
                .setOutcome(Outcome.NONE)
                .setIp(ip)
                .build();
    }

    private static List<String> both(AuthEvent event) {
        List<String> matched = MATCHER.matches(event);
        assertThat(matched).isEqualTo(MATCHER.matchesByText(RuleDocument.of(event)));
        assertThat(MATCHER.matches(RuleDocument.of(event))).isEqualTo(matched);
        return matched;
    }

    @Test
    void eachEventMeetsTheRulesItCouldMatchAndGetsWhatTheWholeMachineGives() {
        assertThat(both(event("user.sign_in_failed", "fp", "203.0.113.1")))
                .containsExactly("failed", "fp-only", "sign-prefix", "or-types", "any-with-ip");
        assertThat(both(event("user.sign_in_failed", "fu", null))).containsExactly("failed", "sign-prefix");
        assertThat(both(event("user.signed_in", null, null))).containsExactly("sign-prefix", "or-types", "no-original");
        assertThat(both(event("user.signed_in", "s", null))).containsExactly("sign-prefix", "or-types");
        assertThat(both(event("tenant.changed", "sapi", "203.0.113.9"))).containsExactly("any-with-ip");
        assertThat(both(event("tenant.changed", "sapi", null))).isEmpty();
    }

    @Test
    void beyondTheKindsKeptEveryEventUsesTheMachineOfEveryRule() {
        RuleMatcher matcher =
                RuleMatcher.of(List.of(RuleMatcherTest.rule("failed", "{\"type\":[\"user.sign_in_failed\"]}")));
        for (int i = 0; i < RuleMatcher.MAX_KINDS + 10; i++) {
            matcher.matches(event("invented.type." + i, null, null));
        }
        assertThat(matcher.kinds()).isEqualTo(RuleMatcher.MAX_KINDS);
        assertThat(matcher.matches(event("user.sign_in_failed", "f", null))).containsExactly("failed");
        assertThat(matcher.matches(event("another.invented.type", null, null))).isEmpty();
    }

    /**
     * An upstream defect the dispatch must not be blamed for: in one event-ruler 1.8.1 machine, a
     * leading-{@code *} wildcard of one rule, added before another rule's {@code equals-ignore-case}
     * on the same field, makes that one match a value it is not ("ss" for "S"). Each machine the dispatch makes holds
     * fewer rules, so it can give fewer of these false matches than the machine of every rule,
     * never more. When this fails, event-ruler has been fixed: let RuleMatcherDispatchProperties
     * mix the two operators again.
     */
    @Test
    void eventRulerMixesWildcardsAndIgnoreCaseAcrossRules() throws Exception {
        String event = "{\"originalType\":\"ss\"}";
        Machine alone = Machine.builder().build();
        alone.addRule("ignore-case", "{\"originalType\":[{\"equals-ignore-case\":\"S\"}]}");
        Machine mixed = Machine.builder().build();
        mixed.addRule("wildcard", "{\"originalType\":[{\"wildcard\":\"*p\"}]}"); // added first
        mixed.addRule("ignore-case", "{\"originalType\":[{\"equals-ignore-case\":\"S\"}]}");

        assertThat(alone.rulesForJSONEvent(event)).isEmpty();
        assertThat(mixed.rulesForJSONEvent(event)).containsExactly("ignore-case");
    }
}
