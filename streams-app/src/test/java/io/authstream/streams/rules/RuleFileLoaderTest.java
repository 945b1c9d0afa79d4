package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.Severity;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleFileLoaderTest {

    static final String VALID = """
            rules:
              - id: many-failed-logins
                title: Many failed logins for one account
                severity: HIGH
                description: Ten failed logins for one account from one IP within an hour.
                eventTypes: [f, fp, fu]
                runbook: Check the account; block the IP if the attempts go on.
                match:
                  type: [user.sign_in_failed]
                  ip: [{exists: true}]
                groupBy: [userId, ip]
                threshold: 3
                window: 1h
                incidentGap: PT30M
                summary: "{count} failed logins for {userId} from {ip} within {window}"
                tests:
                  - name: three failures alert
                    expect: alert
                    alerts: 1
                    events:
                      - {type: user.sign_in_failed, userId: "auth0|1", ip: 203.0.113.9, outcome: FAILURE, repeat: 3, after: 10s}
                  - expect: none
                    events:
                      - {type: user.sign_in_failed, userId: "auth0|1", ip: 203.0.113.9, occurredAt: "2025-02-01T00:00:00Z"}
                      - {type: user.sign_in_failed, userId: "auth0|1", ip: 203.0.113.9, after: 2h}
              - id: role-created
                title: Role created
                severity: MEDIUM
                description: A role was created.
                eventTypes: [sapi]
                runbook: Check the role.
                match:
                  raw: {details: {request: {path: [{suffix: /v2/roles}]}}}
                summary: "role {raw.details.request.body.name} created"
            """;

    private static List<RuleDefinition> load(String yaml) {
        return RuleFileLoader.load("test.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static RuleFileException refused(String yaml) {
        return catchThrowableOfType(RuleFileException.class, () -> load(yaml));
    }

    /** One rule with the given lines in place of the defaults (a key given null is left out). */
    private static String rule(String... overrides) {
        java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
        keys.put("id", "id: test-rule");
        keys.put("title", "title: Test");
        keys.put("severity", "severity: LOW");
        keys.put("description", "description: A test rule.");
        keys.put("eventTypes", "eventTypes: [s]");
        keys.put("runbook", "runbook: Nothing to do.");
        keys.put("match", "match: {type: [user.signed_in]}");
        keys.put("summary", "summary: \"signed in {userId}\"");
        for (String override : overrides) {
            String key = override.substring(0, override.indexOf(':'));
            String rest = override.substring(override.indexOf(':') + 1).strip();
            keys.put(key, rest.equals("null") ? null : override);
        }
        StringBuilder yaml = new StringBuilder("rules:\n  -");
        String sep = " ";
        for (String line : keys.values()) {
            if (line != null) {
                yaml.append(sep).append(line.replace("\n", "\n    ")).append('\n');
                sep = "    ";
            }
        }
        return yaml.toString();
    }

    @Test
    void readsAValidFile() {
        List<RuleDefinition> rules = load(VALID);
        assertThat(rules).extracting(RuleDefinition::id).containsExactly("many-failed-logins", "role-created");
        RuleDefinition first = rules.get(0);
        assertThat(first.severity()).isEqualTo(Severity.HIGH);
        assertThat(first.eventTypes()).containsExactly("f", "fp", "fu");
        assertThat(first.groupBy()).containsExactly("userId", "ip");
        assertThat(first.threshold()).isEqualTo(3);
        assertThat(first.window()).contains(Duration.ofHours(1));
        assertThat(first.incidentGap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(first.match()).isEqualTo("{\"type\":[\"user.sign_in_failed\"],\"ip\":[{\"exists\":true}]}");
        assertThat(first.source()).isEqualTo("test.yml");
        assertThat(first.tests()).hasSize(2);
        RuleTestCase alert = first.tests().get(0);
        assertThat(alert.expectAlert()).isTrue();
        assertThat(alert.alerts()).hasValue(1);
        assertThat(alert.events()).hasSize(3);
        assertThat(alert.events())
                .extracting(e -> e.getOccurredAt())
                .containsExactly(
                        RuleTestEvents.BASE, RuleTestEvents.BASE.plusSeconds(10), RuleTestEvents.BASE.plusSeconds(20));
        assertThat(alert.events().get(0).getOutcome()).isEqualTo(Outcome.FAILURE);
        assertThat(alert.events()).extracting(e -> e.getEventId()).doesNotHaveDuplicates();
        RuleTestCase none = first.tests().get(1);
        assertThat(none.name()).isEqualTo("case 2");
        assertThat(none.events())
                .extracting(e -> e.getOccurredAt())
                .containsExactly(Instant.parse("2025-02-01T00:00:00Z"), Instant.parse("2025-02-01T02:00:00Z"));

        RuleDefinition second = rules.get(1);
        assertThat(second.threshold()).isEqualTo(1);
        assertThat(second.window()).isEmpty();
        assertThat(second.incidentGap()).isZero();
        assertThat(second.tests()).isEmpty();
    }

    @Test
    void anAuth0RecordInRawIsNormalisedAndFieldsBesideItOverride() {
        List<RuleDefinition> rules = load(rule(
                "tests:\n  - expect: alert\n    events:\n      - raw: {log_id: L1, data: {date: \"2025-03-01T10:00:00Z\","
                        + " type: s, user_id: \"auth0|9\", ip: 198.51.100.1}}\n        ip: 203.0.113.7\n"
                        + "      - raw: {type: s, user_id: \"auth0|9\"}\n        after: 5m"));
        List<io.authstream.schemas.avro.AuthEvent> events =
                rules.get(0).tests().get(0).events();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).getType()).isEqualTo("user.signed_in");
        assertThat(events.get(0).getOriginalType()).isEqualTo("s");
        assertThat(events.get(0).getUserId()).isEqualTo("auth0|9");
        assertThat(events.get(0).getIp()).isEqualTo("203.0.113.7");
        assertThat(events.get(0).getEventId()).isEqualTo("L1");
        assertThat(events.get(0).getOccurredAt()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
        assertThat(events.get(1).getOccurredAt()).isEqualTo(Instant.parse("2025-03-01T10:05:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "missing title|title: null|rule 'test-rule': missing title",
                "id not kebab-case|id: Test_Rule|rule 'Test_Rule': id \"Test_Rule\" must be kebab-case",
                "severity not a Severity|severity: SEVERE|rule 'test-rule': severity must be one of [LOW, MEDIUM, HIGH, CRITICAL], got \"SEVERE\"",
                "missing match|match: null|rule 'test-rule': missing match",
                "match not a pattern|match: {type: user.signed_in}|rule 'test-rule': match is not a valid event pattern",
                "unknown operator|match: {type: [{prefixx: user.}]}|rule 'test-rule': match is not a valid event pattern",
                "bad numeric|match: {n: [{numeric: [\">\", abc]}]}|rule 'test-rule': match is not a valid event pattern",
                "too many alternatives|match: {raw: {f0: {$or: [{a: [1]}, {b: [2]}]}, f1: {$or: [{a: [1]}, {b: [2]}]}, f2: {$or: [{a: [1]}, {b: [2]}]}, f3: {$or: [{a: [1]}, {b: [2]}]}, f4: {$or: [{a: [1]}, {b: [2]}]}, f5: {$or: [{a: [1]}, {b: [2]}]}, f6: {$or: [{a: [1]}, {b: [2]}]}, f7: {$or: [{a: [1]}, {b: [2]}]}, f8: {$or: [{a: [1]}, {b: [2]}]}, f9: {$or: [{a: [1]}, {b: [2]}]}, f10: {$or: [{a: [1]}, {b: [2]}]}}}|rule 'test-rule': match: the pattern has more than 1024 alternatives",
                "match field not in AuthEvent|match: {usrId: [x]}|rule 'test-rule': match: field path \"usrId\" starts with \"usrId\", which is neither an AuthEvent field nor raw",
                "match below a plain field|match: {ip: {v4: [x]}}|rule 'test-rule': match: field path \"ip.v4\": ip is a plain value",
                "geo field unknown|match: {geo: {country: [FR]}}|rule 'test-rule': match: field path \"geo.country\": geo has no field \"country\"",
                "window not a duration|window: five minutes|rule 'test-rule': window: \"five minutes\" is not a duration",
                "incidentGap not a duration|incidentGap: 5 mins|rule 'test-rule': incidentGap: \"5 mins\" is not a duration",
                "threshold without window|threshold: 5|rule 'test-rule': threshold 5 needs a window",
                "threshold zero|threshold: 0|rule 'test-rule': threshold must be a whole number of at least 1, got 0",
                "threshold text|threshold: many|rule 'test-rule': threshold must be a whole number of at least 1",
                "empty groupBy path|groupBy: [\"\"]|rule 'test-rule': groupBy has an empty or non-text item",
                "groupBy path not plausible|groupBy: [user]|rule 'test-rule': groupBy: field path \"user\" starts with \"user\"",
                "empty distinct|distinct: \"\"|rule 'test-rule': distinct must be a field path",
                "distinct with threshold 1|distinct: ip|rule 'test-rule': distinct needs a threshold of at least 2",
                "summary placeholder not plausible|summary: \"{usr} signed in\"|rule 'test-rule': summary placeholder {usr}: field path \"usr\" starts with \"usr\"",
                "summary placeholder raw alone|summary: \"{raw}\"|rule 'test-rule': summary placeholder {raw}: field path \"raw\" names the whole Auth0 record",
                "unknown key|treshold: 5|rule 'test-rule': unknown key \"treshold\"",
                "empty eventTypes|eventTypes: []|rule 'test-rule': eventTypes must be a non-empty list",
                "runbook two lines|runbook: \"one\\ntwo\"|rule 'test-rule': runbook must be one line",
                "case expect wrong|tests: [{expect: maybe, events: [{type: user.signed_in}]}]|rule 'test-rule': test case 1 (case 1): expect must be alert or none",
                "case without events|tests: [{expect: alert}]|rule 'test-rule': test case 1 (case 1): needs events",
                "case event without type|tests: [{expect: alert, events: [{userId: u}]}]|rule 'test-rule': test case 1 (case 1), event 1: needs a type",
                "case event unknown field|tests: [{expect: alert, events: [{type: t, user: u}]}]|rule 'test-rule': test case 1 (case 1), event 1: \"user\" is not an AuthEvent field",
                "case event bad outcome|tests: [{expect: alert, events: [{type: t, outcome: FAILED}]}]|rule 'test-rule': test case 1 (case 1), event 1: outcome: must be one of [SUCCESS, FAILURE, NONE]",
                "case event bad time|tests: [{expect: alert, events: [{type: t, occurredAt: yesterday}]}]|rule 'test-rule': test case 1 (case 1), event 1: occurredAt: must be an ISO-8601 instant",
                "case alerts with none|tests: [{expect: none, alerts: 1, events: [{type: t}]}]|rule 'test-rule': test case 1 (case 1): alerts is for expect: alert",
                "case repeat zero|tests: [{expect: alert, events: [{type: t, repeat: 0}]}]|rule 'test-rule': test case 1 (case 1), event 1: repeat must be a whole number from 1",
            })
    void refusesAnInvalidRuleNamingFileRuleAndReason(String what, String override, String expected) {
        RuleFileException refused = refused(rule(override));
        assertThat(refused).as(what).isNotNull();
        assertThat(refused.file()).isEqualTo("test.yml");
        assertThat(refused.problems()).as(what).hasSize(1);
        assertThat(refused.problems().get(0)).as(what).startsWith("test.yml: ").contains(expected);
        assertThat(refused.getMessage()).contains("test.yml").contains(expected);
    }

    @Test
    void aRuleWithoutIdIsNamedByItsNumber() {
        RuleFileException refused = refused(VALID + rule("id: null").replace("rules:\n", ""));
        assertThat(refused.problems()).containsExactly("test.yml: rule #3 (no id): missing id");
    }

    @Test
    void listsEveryProblemOfTheFile() {
        String yaml = VALID
                + rule("id: role-created", "severity: URGENT", "window: soon").replace("rules:\n", "")
                + rule("id: Bad Id", "match: {type: [{nope: 1}]}").replace("rules:\n", "");
        RuleFileException refused = refused(yaml);
        assertThat(refused.problems())
                .hasSize(5)
                .anySatisfy(p -> assertThat(p).startsWith("test.yml: rule 'role-created': severity must be one of"))
                .anySatisfy(p -> assertThat(p).startsWith("test.yml: rule 'role-created': window:"))
                .anySatisfy(
                        p -> assertThat(p)
                                .isEqualTo(
                                        "test.yml: rule 'role-created': id \"role-created\" is used by an earlier rule of this file"))
                .anySatisfy(p -> assertThat(p).startsWith("test.yml: rule 'Bad Id': id \"Bad Id\" must be kebab-case"))
                .anySatisfy(
                        p -> assertThat(p).startsWith("test.yml: rule 'Bad Id': match is not a valid event pattern"));
        assertThat(refused.getMessage()).startsWith("rule file test.yml refused, 5 problems:");
    }

    @Test
    void refusesFilesThatAreNotRuleFiles() {
        assertThat(refused("rules: [").problems()).singleElement().asString().startsWith("test.yml: not valid YAML");
        assertThat(refused("- id: x").problems()).containsExactly("test.yml: needs a list of rules under \"rules:\"");
        assertThat(refused("rules: []").problems()).containsExactly("test.yml: rules: is empty");
        assertThat(refused(rule() + "extra: 1\n").problems())
                .containsExactly("test.yml: unknown top-level key \"extra\" (a rule file holds only rules:)");
        assertThat(refused(rule("title: Test\ntitle: Again")).problems())
                .singleElement()
                .asString()
                .contains("not valid YAML")
                .contains("Duplicate field 'title'");
    }

    @Test
    void yamlOffUnquotedIsAFalseBoolean() {
        // YAML 1.1 reads off/on/yes/no as booleans: a pattern for the text "off" must quote it.
        RuleDefinition unquoted = load(rule("match: {raw: {policy: [off]}}")).get(0);
        RuleDefinition quoted = load(rule("match: {raw: {policy: [\"off\"]}}")).get(0);
        assertThat(unquoted.match()).isEqualTo("{\"raw\":{\"policy\":[false]}}");
        assertThat(quoted.match()).isEqualTo("{\"raw\":{\"policy\":[\"off\"]}}");
    }

    @Test
    void theBuiltInPackLoadsFromTheClassPath() {
        assertThat(RuleFileLoader.builtIn())
                .hasSizeGreaterThanOrEqualTo(6)
                .allSatisfy(rule -> assertThat(rule.source()).startsWith("rules/"));
    }
}
