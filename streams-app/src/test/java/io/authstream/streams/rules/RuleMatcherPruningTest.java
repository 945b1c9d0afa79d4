package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.fixtures.Samples;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventBridgeNormalizer;
import io.authstream.normalize.EventStreamNormalizer;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.GeoLocation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link RuleMatcher#matches} (the pruned document, as a tree) gives what event-ruler gives on the
 * whole document's JSON text ({@link RuleMatcher#matchesByText}): on every case of the built-in
 * pack, on the sample payloads, and where pruning could go wrong (arrays, dotted keys, absent
 * fields, numbers Jackson writes as text).
 */
class RuleMatcherPruningTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");

    static {
        GeneratedClasses.trust();
    }

    /** User rules of every operator over the fields the samples have, beside the built-in pack. */
    static final List<String> USER_PATTERNS = List.of(
            "{\"type\":[\"user.sign_in_failed\"],\"ip\":[{\"prefix\":\"81.2.\"}]}",
            "{\"originalType\":[\"s\",\"ssa\"],\"clientId\":[\"aI61p8I8aFjmYRliLWgvM9ev97kCCNDB\"]}",
            "{\"ip\":[{\"cidr\":\"114.76.0.0/16\"}],\"outcome\":[\"SUCCESS\"]}",
            "{\"ip\":[{\"cidr\":\"3a02:c7d::/32\"}]}",
            "{\"type\":[\"credentials.exchanged\"],\"clientId\":[{\"anything-but\":[\"x\",\"y\"]}]}",
            "{\"originalType\":[\"sapi\"],\"raw\":{\"details\":{\"response\":{\"statusCode\":[{\"numeric\":[\">=\",200,\"<\",300]}]}}}}",
            "{\"raw\":{\"details\":{\"request\":{\"path\":[{\"wildcard\":\"*/v2/log-*\"}],"
                    + "\"method\":[{\"equals-ignore-case\":\"POST\"}]}}}}",
            "{\"$or\":[{\"failureReason\":[{\"prefix\":\"Wrong\"}]},{\"raw\":{\"description\":[{\"suffix\":\"blocked\"}]}}],"
                    + "\"userId\":[{\"exists\":true}]}",
            "{\"raw\":{\"details\":{\"prompts\":{\"name\":[\"login\"],\"elapsedTime\":[{\"numeric\":[\">\",5000]}]}}}}",
            "{\"raw\":{\"details\":{\"prompts\":{\"name\":[\"prompt-authenticate\"],\"elapsedTime\":[null]}}}}",
            "{\"raw\":{\"details\":{\"prompts\":{\"name\":[\"login\"],\"strategy\":[\"auth0\"]}}}}",
            "{\"attributes\":{\"hostname\":[{\"suffix\":\".auth0.com\"}]},\"userAgent\":[{\"wildcard\":\"*Chrome*\"}]}",
            "{\"attributes.hostname\":[{\"prefix\":\"dev-\"}]}",
            "{\"email\":[{\"anything-but\":{\"prefix\":\"admin\"}}],\"originalType\":[\"fp\",\"fu\"]}",
            "{\"type\":[\"user.blocked\"],\"userId\":[{\"exists\":false}]}",
            "{\"raw\":{\"details\":{\"request\":{\"body\":[{\"exists\":false}]}}},\"originalType\":[\"sapi\"]}",
            "{\"raw\":{\"data\":{\"object\":{\"user_id\":[{\"exists\":true}]}}}}",
            "{\"raw\":{\"detail\":{\"data\":{\"type\":[\"s\"]}}}}",
            "{\"geo\":{\"countryCode\":[\"AU\",\"FR\"]},\"geo.latitude\":[{\"numeric\":[\"<\",0]}]}",
            "{\"raw\":{\"location_info\":{\"latitude\":[{\"numeric\":[\">\",10]}]}}}",
            "{\"occurredAt\":[{\"numeric\":[\">\",1000]}],\"source\":[{\"anything-but\":\"none\"}]}");

    static List<RuleDefinition> packAndUserRules() {
        List<RuleDefinition> rules = new ArrayList<>(RuleFileLoader.builtIn());
        for (int i = 0; i < USER_PATTERNS.size(); i++) {
            rules.add(RuleMatcherTest.rule("user-" + i, USER_PATTERNS.get(i)));
        }
        return rules;
    }

    private static void agree(RuleMatcher matcher, AuthEvent event, String label) {
        ObjectNode document = RuleDocument.of(event);
        assertThat(matcher.matches(event)).as(label).isEqualTo(matcher.matchesByText(document));
        assertThat(matcher.matches(document)).as(label).isEqualTo(matcher.matchesByText(document));
    }

    @Test
    void everyCaseOfTheBuiltInPackMatchesAsByText() {
        List<RuleDefinition> pack = RuleFileLoader.builtIn();
        RuleMatcher packOnly = RuleMatcher.of(pack);
        RuleMatcher withUserRules = RuleMatcher.of(packAndUserRules());
        int events = 0;
        for (RuleDefinition rule : pack) {
            for (RuleTestCase test : rule.tests()) {
                for (AuthEvent event : test.events()) {
                    agree(packOnly, event, rule.id() + " / " + test.name());
                    agree(withUserRules, event, rule.id() + " / " + test.name());
                    events++;
                }
            }
        }
        assertThat(events).isGreaterThanOrEqualTo(12);
    }

    @Test
    void everySamplePayloadMatchesAsByText() throws IOException {
        RuleMatcher matcher = RuleMatcher.of(packAndUserRules());
        List<AuthEvent> events = new ArrayList<>();
        for (String path : Samples.list("log-stream")) {
            String raw = new String(Samples.bytes(path), StandardCharsets.UTF_8);
            events.add(Auth0LogNormalizer.normalize(JSON.readTree(raw), raw, "auth0.log-stream", AT));
        }
        for (String path : Samples.list("eventbridge")) {
            String raw = new String(Samples.bytes(path), StandardCharsets.UTF_8);
            events.add(EventBridgeNormalizer.normalize(JSON.readTree(raw), raw, "eventbridge.relay", AT));
        }
        for (String path : Samples.list("event-streams")) {
            String raw = new String(Samples.bytes(path), StandardCharsets.UTF_8);
            events.add(EventStreamNormalizer.normalize(JSON.readTree(raw), raw, "auth0.event-stream", AT));
        }
        int matched = 0;
        for (AuthEvent event : events) {
            agree(matcher, event, event.getOriginalType() + " " + event.getEventId());
            matched += matcher.matches(event).isEmpty() ? 0 : 1;
            // the same with Auth0's location of the request and a NaN latitude (written as text)
            AuthEvent located = AuthEvent.newBuilder(event)
                    .setGeo(GeoLocation.newBuilder()
                            .setCountryCode("AU")
                            .setLatitude(-33.87)
                            .build())
                    .build();
            agree(matcher, located, "located " + event.getEventId());
            AuthEvent nan = AuthEvent.newBuilder(event)
                    .setGeo(GeoLocation.newBuilder()
                            .setCountryCode("FR")
                            .setLatitude(Double.NaN)
                            .build())
                    .build();
            agree(matcher, nan, "NaN " + event.getEventId());
        }
        assertThat(matched).as("events some rule matches").isGreaterThanOrEqualTo(events.size() / 2);
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                // fields of one array element must match together, however many other fields are left out
                "{\"a\":{\"n\":[\"x\"],\"ok\":[true]}}|{\"a\":[{\"n\":\"x\",\"ok\":false,\"z\":1},{\"z\":2},{\"n\":\"y\",\"ok\":true}]}|false",
                "{\"a\":{\"n\":[\"x\"],\"ok\":[true]}}|{\"a\":[{\"z\":2},{\"n\":\"y\"},{\"q\":[1,2],\"n\":\"x\",\"ok\":true}]}|true",
                "{\"a\":{\"b\":{\"n\":[\"x\"]},\"ok\":[true]}}|{\"a\":[[{\"b\":[{\"n\":\"x\"}]}],{\"ok\":true}]}|false",
                "{\"a\":{\"b\":{\"n\":[\"x\"]},\"ok\":[true]}}|{\"a\":[{\"ok\":true,\"b\":[{\"m\":1},{\"n\":\"x\"}]}]}|true",
                // a scalar beside objects in an array the pattern looks into
                "{\"a\":[\"x\"],\"b\":[1]}|{\"a\":[{\"c\":1},\"x\",[\"y\"]],\"b\":1}|true",
                "{\"a\":{\"c\":[1]}}|{\"a\":[\"x\",{\"c\":1}]}|true",
                // dotted keys: in the event, in the pattern, both
                "{\"attributes\":{\"eventbridge.id\":[\"e-1\"]}}|{\"attributes\":{\"eventbridge.id\":\"e-1\"}}|true",
                "{\"attributes.eventbridge.id\":[\"e-1\"]}|{\"attributes\":{\"eventbridge\":{\"id\":\"e-1\"}}}|true",
                "{\"attributes\":{\"eventbridge\":{\"id\":[\"e-1\"]}}}|{\"attributes.eventbridge\":{\"id\":\"e-1\"}}|true",
                // exists: false and unrelated fields of the same name below
                "{\"a\":{\"b\":[{\"exists\":false}]}}|{\"a\":{\"b\":[],\"c\":{\"b\":1}}}|true",
                "{\"a\":{\"b\":[{\"exists\":false}]}}|{\"a\":{\"b\":{\"x\":1}}}|true",
                "{\"a\":{\"b\":[{\"exists\":false}]},\"c\":[1]}|{\"a\":[{\"b\":1},{\"d\":1}],\"c\":1}|false",
                "{\"a\":{\"b\":[{\"exists\":false}]}}|{\"a\":{\"b\":\"v\"}}|false",
                "{\"a\":{\"b\":[{\"exists\":true}]}}|{\"a\":{\"b\":{\"c\":1}}}|false",
                // $or branches name their fields at the level of the $or
                "{\"a\":{\"$or\":[{\"b\":[1]},{\"c\":{\"d\":[2]}}]}}|{\"a\":{\"c\":{\"d\":2}},\"b\":1}|true",
                "{\"a\":{\"$or\":[{\"b\":[1]},{\"c\":{\"d\":[2]}}]}}|{\"b\":1,\"c\":{\"d\":2}}|false",
                // numbers and text as event-ruler reads them back from the text
                "{\"n\":[{\"numeric\":[\">\",1]}]}|{\"n\":1.5e3}|true",
                "{\"n\":[\"NaN\"]}|{\"m\":1}|false",
                // empty names
                "{\"\":{\"x\":[1]}}|{\"\":{\"x\":1}}|false",
                "{\"x\":[1]}|{\"\":{\"x\":1}}|false",
                // below a top-level "" the rule compiler joins without a dot, the event with one
                "{\"\":{\"a.b\":[{\"exists\":false},true]}}|{\"a.b\":\"v\",\"\":null}|false",
                "{\"\":{\"a.b\":[{\"exists\":false},true]}}|{\"\":{\"a.b\":\"v\"}}|true",
                "{\"\":{\"a\":{\"b\":[\"v\"]}}}|{\"\":{\"a\":{\"b\":\"v\"}}}|true",
            })
    void edgeCasesMatchAsByText(String pattern, String document, boolean expected) throws Exception {
        RuleMatcher matcher = RuleMatcher.of(List.of(RuleMatcherTest.rule("r", pattern)));
        JsonNode tree = JSON.readTree(document);
        assertThat(matcher.matchesByText(tree).contains("r")).as("by text").isEqualTo(expected);
        assertThat(matcher.matches(tree)).isEqualTo(matcher.matchesByText(tree));
    }

    @Test
    void numbersJacksonWritesAsTextAreMatchedAsText() {
        RuleMatcher matcher = RuleMatcher.of(List.of(
                RuleMatcherTest.rule("nan", "{\"geo\":{\"latitude\":[\"NaN\"]}}"),
                RuleMatcherTest.rule("inf", "{\"geo\":{\"longitude\":[\"-Infinity\"]}}")));
        AuthEvent event = AuthEvent.newBuilder()
                .setEventId("e1")
                .setSource("test")
                .setType("user.signed_in")
                .setOccurredAt(AT)
                .setReceivedAt(AT)
                .setAttributes(java.util.Map.of())
                .setRaw("{}")
                .setGeo(GeoLocation.newBuilder()
                        .setLatitude(Double.NaN)
                        .setLongitude(Double.NEGATIVE_INFINITY)
                        .build())
                .build();
        assertThat(matcher.matchesByText(RuleDocument.of(event))).containsExactly("nan", "inf");
        assertThat(matcher.matches(event)).containsExactly("nan", "inf");
    }
}
