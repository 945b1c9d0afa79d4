package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.avro.Severity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each EventBridge pattern operator, matching and not matching, as event-ruler evaluates it on rule documents. */
class RuleMatcherTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static RuleDefinition rule(String id, String match) {
        return new RuleDefinition(
                id,
                id,
                Severity.LOW,
                "test rule",
                List.of("test"),
                "none",
                match,
                List.of(),
                1,
                Optional.empty(),
                Optional.empty(),
                Duration.ZERO,
                "{ruleId}",
                List.of(),
                "test");
    }

    private static boolean matches(String pattern, String document) throws Exception {
        RuleMatcher matcher = RuleMatcher.of(List.of(rule("r", pattern)));
        return matcher.matches(JSON.readTree(document)).contains("r");
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // exact: a string, a number (compared as a number), a boolean, null; any of a list
                "{\"type\":[\"user.sign_in_failed\"]}|{\"type\":\"user.sign_in_failed\"}|true",
                "{\"type\":[\"user.sign_in_failed\"]}|{\"type\":\"user.signed_in\"}|false",
                "{\"type\":[\"a\",\"b\"]}|{\"type\":\"b\"}|true",
                "{\"n\":[200]}|{\"n\":200.0}|true",
                "{\"n\":[200]}|{\"n\":201}|false",
                "{\"on\":[false]}|{\"on\":false}|true",
                "{\"on\":[false]}|{\"on\":\"false\"}|false",
                "{\"x\":[null]}|{\"x\":null}|true",
                "{\"x\":[null]}|{\"y\":1}|false",
                // an array in the event matches when any element does
                "{\"tags\":[\"block\"]}|{\"tags\":[\"user_notification\",\"block\"]}|true",
                "{\"tags\":[\"block\"]}|{\"tags\":[\"user_notification\"]}|false",
                // nested fields
                "{\"raw\":{\"details\":{\"request\":{\"method\":[\"patch\"]}}}}|{\"raw\":{\"details\":{\"request\":{\"method\":\"patch\"}}}}|true",
                "{\"raw\":{\"details\":{\"request\":{\"method\":[\"patch\"]}}}}|{\"raw\":{\"details\":{\"request\":{\"method\":\"PATCH\"}}}}|false",
                // prefix, suffix (case-sensitive), equals-ignore-case
                "{\"ip\":[{\"prefix\":\"203.0.113.\"}]}|{\"ip\":\"203.0.113.9\"}|true",
                "{\"ip\":[{\"prefix\":\"203.0.113.\"}]}|{\"ip\":\"198.51.100.9\"}|false",
                "{\"path\":[{\"suffix\":\"/brute-force-protection\"}]}|{\"path\":\"/api/v2/attack-protection/brute-force-protection\"}|true",
                "{\"path\":[{\"suffix\":\"/brute-force-protection\"}]}|{\"path\":\"/api/v2/attack-protection/BRUTE-FORCE-PROTECTION\"}|false",
                "{\"m\":[{\"equals-ignore-case\":\"PATCH\"}]}|{\"m\":\"patch\"}|true",
                "{\"m\":[{\"equals-ignore-case\":\"PATCH\"}]}|{\"m\":\"put\"}|false",
                // anything-but: a value, a list, a prefix; a missing field does not match
                "{\"outcome\":[{\"anything-but\":\"SUCCESS\"}]}|{\"outcome\":\"FAILURE\"}|true",
                "{\"outcome\":[{\"anything-but\":\"SUCCESS\"}]}|{\"outcome\":\"SUCCESS\"}|false",
                "{\"outcome\":[{\"anything-but\":[\"SUCCESS\",\"NONE\"]}]}|{\"outcome\":\"NONE\"}|false",
                "{\"c\":[{\"anything-but\":{\"prefix\":\"test-\"}}]}|{\"c\":\"prod-app\"}|true",
                "{\"c\":[{\"anything-but\":{\"prefix\":\"test-\"}}]}|{\"c\":\"test-app\"}|false",
                "{\"outcome\":[{\"anything-but\":\"SUCCESS\"}]}|{\"type\":\"x\"}|false",
                // numeric: ranges, equality; a string that looks like a number is not a number
                "{\"s\":[{\"numeric\":[\">=\",200,\"<\",300]}]}|{\"s\":204}|true",
                "{\"s\":[{\"numeric\":[\">=\",200,\"<\",300]}]}|{\"s\":300}|false",
                "{\"s\":[{\"numeric\":[\"=\",429]}]}|{\"s\":429}|true",
                "{\"s\":[{\"numeric\":[\">\",0]}]}|{\"s\":\"5\"}|false",
                // exists: true needs a value (not an object), false needs none (an empty array counts as none)
                "{\"userId\":[{\"exists\":true}]}|{\"userId\":\"auth0-1\"}|true",
                "{\"userId\":[{\"exists\":true}]}|{\"ip\":\"1.2.3.4\"}|false",
                "{\"userId\":[{\"exists\":false}]}|{\"ip\":\"1.2.3.4\"}|true",
                "{\"userId\":[{\"exists\":false}]}|{\"userId\":\"auth0-1\"}|false",
                "{\"body\":[{\"exists\":false}]}|{\"body\":[]}|true",
                "{\"body\":[{\"exists\":false}]}|{\"body\":[\"all-applications\"]}|false",
                "{\"body\":[{\"exists\":true}]}|{\"body\":{\"enabled\":false}}|false",
                // cidr: IPv4 and IPv6
                "{\"ip\":[{\"cidr\":\"10.0.0.0/8\"}]}|{\"ip\":\"10.20.30.40\"}|true",
                "{\"ip\":[{\"cidr\":\"10.0.0.0/8\"}]}|{\"ip\":\"11.0.0.1\"}|false",
                "{\"ip\":[{\"cidr\":\"2001:db8::/32\"}]}|{\"ip\":\"2001:db8::1\"}|true",
                "{\"ip\":[{\"cidr\":\"2001:db8::/32\"}]}|{\"ip\":\"2001:db9::1\"}|false",
                // wildcard: * is any run of characters, the whole value must match
                "{\"path\":[{\"wildcard\":\"*/v2/roles\"}]}|{\"path\":\"/api/v2/roles\"}|true",
                "{\"path\":[{\"wildcard\":\"*/v2/roles\"}]}|{\"path\":\"/api/v2/roles/rol_1/users\"}|false",
                "{\"path\":[{\"wildcard\":\"*/factors/*\"}]}|{\"path\":\"/api/v2/guardian/factors/sms\"}|true",
                // $or: one branch is enough; nested $or too
                "{\"$or\":[{\"type\":[\"a\"]},{\"ip\":[{\"prefix\":\"10.\"}]}]}|{\"type\":\"b\",\"ip\":\"10.1.1.1\"}|true",
                "{\"$or\":[{\"type\":[\"a\"]},{\"ip\":[{\"prefix\":\"10.\"}]}]}|{\"type\":\"b\",\"ip\":\"11.1.1.1\"}|false",
                "{\"a\":[1],\"b\":{\"$or\":[{\"c\":[2]},{\"d\":[3]}]}}|{\"a\":1,\"b\":{\"d\":3}}|true",
                "{\"a\":[1],\"b\":{\"$or\":[{\"c\":[2]},{\"d\":[3]}]}}|{\"a\":2,\"b\":{\"d\":3}}|false",
            })
    void operator(String pattern, String document, boolean expected) throws Exception {
        assertThat(matches(pattern, document)).isEqualTo(expected);
    }

    @Test
    void fieldsOfOneArrayElementMustMatchTogether() throws Exception {
        String pattern = "{\"prompts\":{\"name\":[\"mfa\"],\"ok\":[true]}}";
        assertThat(matches(pattern, "{\"prompts\":[{\"name\":\"mfa\",\"ok\":true}]}"))
                .isTrue();
        assertThat(matches(pattern, "{\"prompts\":[{\"name\":\"mfa\",\"ok\":false},{\"name\":\"x\",\"ok\":true}]}"))
                .isFalse();
    }

    @Test
    void returnsEveryMatchingRuleOnceInTheOrderGiven() throws Exception {
        RuleMatcher matcher = RuleMatcher.of(List.of(
                rule("second-by-name", "{\"type\":[\"user.sign_in_failed\"]}"),
                rule("any-failure", "{\"outcome\":[\"FAILURE\"]}"),
                rule("other", "{\"type\":[\"user.signed_in\"]}")));
        JsonNode failed = JSON.readTree("{\"type\":\"user.sign_in_failed\",\"outcome\":\"FAILURE\"}");
        assertThat(matcher.matches(failed)).containsExactly("second-by-name", "any-failure");
        assertThat(matcher.matches(JSON.readTree("{\"type\":\"user.updated\"}")))
                .isEmpty();
    }

    @Test
    void refusesTwoRulesWithOneId() {
        assertThatThrownBy(() -> RuleMatcher.of(List.of(rule("a", "{\"x\":[1]}"), rule("a", "{\"y\":[1]}"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a");
    }

    @Test
    void valueAtFollowsPathsAndDottedKeys() throws Exception {
        JsonNode document = JSON.readTree("{\"ip\":\"1.2.3.4\",\"attributes\":{\"eventbridge.id\":\"e-1\"},"
                + "\"raw\":{\"details\":{\"request\":{\"path\":\"/api/v2/roles\",\"body\":{\"enabled\":false},"
                + "\"list\":[\"a\",\"b\"]}}}}");
        assertThat(RuleMatcher.valueAt(document, "ip")).contains("1.2.3.4");
        assertThat(RuleMatcher.valueAt(document, "raw.details.request.path")).contains("/api/v2/roles");
        assertThat(RuleMatcher.valueAt(document, "raw.details.request.body.enabled"))
                .contains("false");
        assertThat(RuleMatcher.valueAt(document, "raw.details.request.body")).contains("{\"enabled\":false}");
        assertThat(RuleMatcher.valueAt(document, "raw.details.request.list")).contains("[\"a\",\"b\"]");
        assertThat(RuleMatcher.valueAt(document, "attributes.eventbridge.id")).contains("e-1");
        assertThat(RuleMatcher.valueAt(document, "raw.details.response")).isEmpty();
        assertThat(RuleMatcher.valueAt(document, "userId")).isEmpty();
    }

    @Test
    void twoRulesWithOneIdAreRefused() {
        assertThatThrownBy(() -> RuleMatcher.of(
                        List.of(rule("twice", "{\"type\":[\"a\"]}"), rule("twice", "{\"type\":[\"b\"]}"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("two rules have the id twice");
    }
}
