package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.fixtures.Samples;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.avro.Severity;
import io.authstream.schemas.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * The cut-down document of a hit ({@link RuleMatcher#documentFor}) gives every rule that
 * matched the same groupBy, distinct and summary values as the whole rule document: random rules
 * reading random paths (AuthEvent fields, record and map fields, dotted attribute keys, paths
 * into raw naming strings, objects, arrays and nothing, {@code ??} alternatives) on Auth0
 * sample records in every wrapper.
 */
class HitDocumentsProperties {

    private static final String[] PATHS = {
        "userId",
        "email",
        "ip",
        "type",
        "occurredAt",
        "outcome",
        "geo",
        "geo.countryCode",
        "attributes",
        "attributes.hostname",
        "attributes.eventbridge.id",
        "attributes.eventbridge",
        "raw.description",
        "raw.details",
        "raw.details.request.path",
        "raw.details.request",
        "raw.details.prompts",
        "raw.details.prompts.name",
        "raw.type",
        "raw.user_id",
        "raw.data",
        "raw.log_id",
        "raw.absent",
        "raw.details.request.body",
        "raw.data.type",
        "device.browser"
    };
    private static final List<String> SAMPLES = List.of(
            "log-stream/001_s_universal-login-prompts.json",
            "log-stream/014_sapi_create-log-stream.json",
            "log-stream/007_fp_wrong-password.json",
            "eventbridge/201_eb_s_thiscovery.json");

    @Property(tries = 1000)
    void theRulesThatMatchedReadOfItWhatTheyReadOfTheWholeDocument(@ForAll long seed) {
        Random random = new Random(seed);
        List<RuleDefinition> rules = new ArrayList<>();
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
            rules.add(rule("r" + i, random));
        }
        RuleMatcher matcher = RuleMatcher.of(rules);
        AuthEvent event = event(random);
        List<String> matched = rules.stream().map(RuleDefinition::id).toList();

        ObjectNode whole = RuleDocument.of(event);
        ObjectNode cut = matcher.documentFor(matched, event);
        for (RuleDefinition rule : rules) {
            assertThat(CountedValue.of(rule, event, cut))
                    .as("%s %s on %s", rule.groupBy(), rule.distinct(), whole)
                    .isEqualTo(CountedValue.of(rule, event, whole));
            assertThat(RuleSummaries.renderFields(rule, cut))
                    .as("%s on %s", rule.summary(), whole)
                    .isEqualTo(RuleSummaries.renderFields(rule, whole));
        }
    }

    private static String path(Random random) {
        String path = PATHS[random.nextInt(PATHS.length)];
        return random.nextInt(4) == 0 ? path + " ?? " + PATHS[random.nextInt(PATHS.length)] : path;
    }

    private static RuleDefinition rule(String id, Random random) {
        List<String> groupBy = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            groupBy.add(path(random));
        }
        Optional<String> distinct = random.nextBoolean() ? Optional.of(path(random)) : Optional.empty();
        String summary = "{ruleId}: {" + path(random) + "} from {" + path(random) + "}, {count} in {window}";
        return new RuleDefinition(
                id,
                id,
                Severity.LOW,
                "test rule",
                List.of("test"),
                "none",
                "{\"type\":[{\"exists\":true}]}",
                groupBy,
                2,
                Optional.of(Duration.ofMinutes(5)),
                distinct,
                Duration.ZERO,
                summary,
                List.of(),
                "test");
    }

    private static AuthEvent event(Random random) {
        String raw = new String(Samples.bytes(SAMPLES.get(random.nextInt(SAMPLES.size()))), StandardCharsets.UTF_8);
        AuthEvent.Builder event = AuthEvent.newBuilder(SampleEvents.minimal())
                .setRaw(raw)
                .setUserId("auth0|" + random.nextInt(9))
                .setIp(random.nextBoolean() ? "203.0.113." + random.nextInt(9) : null)
                .setEmail(random.nextBoolean() ? "u" + random.nextInt(9) + "@example.com" : null);
        if (random.nextBoolean()) {
            event.setAttributes(Map.of("hostname", "t.eu.auth0.com", "eventbridge.id", "e-" + random.nextInt(9)));
        }
        if (random.nextBoolean()) {
            event.setGeo(GeoLocation.newBuilder()
                    .setCountryCode("FR")
                    .setLatitude(48.85)
                    .setLongitude(2.35)
                    .build());
        }
        return event.build();
    }
}
