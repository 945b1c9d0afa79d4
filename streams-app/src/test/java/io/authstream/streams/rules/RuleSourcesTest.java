package io.authstream.streams.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where rules come from besides a file: a record of auth.rules, a RULES_DIR directory, the rule
 * book that layers them over the built-in pack; and the {@code version}, {@code enabled} and
 * {@code a ?? b} parts of the format.
 */
class RuleSourcesTest {

    private static final String ONE = """
            id: role-created
            version: 3
            title: Role created
            severity: MEDIUM
            description: A role was created.
            eventTypes: [sapi]
            runbook: Check the role.
            match:
              originalType: [sapi]
            summary: "role created by {userId ?? email ?? ip}"
            """;

    @TempDir
    Path dir;

    @Test
    void aPublishedRecordIsOneRuleWhoseIdIsItsKey() {
        RuleDefinition rule = RuleFileLoader.loadOne("auth.rules[role-created]", "role-created", ONE);
        assertThat(rule.version()).isEqualTo(3);
        assertThat(rule.enabled()).isTrue();
        assertThat(catchThrowableOfType(
                                RuleFileException.class, () -> RuleFileLoader.loadOne("auth.rules[x]", "x", ONE))
                        .problems())
                .containsExactly("auth.rules[x]: the record's key \"x\" is not its rule's id \"role-created\"");
        assertThat(catchThrowableOfType(
                                RuleFileException.class,
                                () -> RuleFileLoader.loadOne(
                                        "auth.rules[role-created]",
                                        "role-created",
                                        ONE.replace("version: 3", "version: 0")))
                        .problems())
                .containsExactly(
                        "auth.rules[role-created]: rule 'role-created': version must be a whole number of at least 1, got 0");
    }

    @Test
    void enabledFalseAloneIsADisablingEntryAndOtherwiseEnabledMustBeABoolean() {
        RuleDefinition off = RuleFileLoader.loadOne("t", "brute-force", "{id: brute-force, enabled: false}");
        assertThat(off.enabled()).isFalse();
        assertThat(catchThrowableOfType(
                                RuleFileException.class,
                                () -> RuleFileLoader.loadOne("t", "brute-force", "{id: brute-force, enabled: maybe}"))
                        .problems())
                .anyMatch(p -> p.contains("enabled must be true or false"));
        assertThat(catchThrowableOfType(
                                RuleFileException.class,
                                () -> RuleFileLoader.loadOne("t", "brute-force", "{id: brute-force, enabled: true}"))
                        .problems())
                .as("an enabled rule needs everything")
                .anyMatch(p -> p.contains("missing title"));
    }

    @Test
    void aDirectoryLoadsEveryRuleFileAndNamesEachProblemWithItsFile() throws IOException {
        Files.writeString(dir.resolve("a.yml"), "rules:\n" + indent(ONE));
        Files.writeString(dir.resolve("notes.txt"), "not a rule file");
        assertThat(RuleFileLoader.loadDirectory(dir))
                .extracting(RuleDefinition::id)
                .containsExactly("role-created");

        Files.writeString(dir.resolve("b.yaml"), "rules:\n" + indent(ONE));
        Files.writeString(dir.resolve("c.json"), "{\"rules\": [{\"id\": \"Bad Id\"}]}");
        List<String> problems = catchThrowableOfType(RuleFileException.class, () -> RuleFileLoader.loadDirectory(dir))
                .problems();
        assertThat(problems)
                .anyMatch(
                        p -> p.startsWith(dir.resolve("b.yaml") + ": rule 'role-created': id is used by another file"))
                .anyMatch(
                        p -> p.startsWith(dir.resolve("c.json") + ": rule 'Bad Id': id \"Bad Id\" must be kebab-case"));
    }

    @Test
    void aPathWithAlternativesIsTheFirstPresentAndEachAlternativeIsChecked() throws IOException {
        var document = new ObjectMapper().readTree("{\"email\": \"a@example.com\", \"ip\": \"192.0.2.1\"}");
        assertThat(FieldPaths.valueAt(document, "userId ?? email ?? ip")).contains("a@example.com");
        assertThat(FieldPaths.valueAt(document, "userId ?? displayName")).isEmpty();
        assertThat(FieldPaths.problem("userId ?? emial"))
                .hasValueSatisfying(p -> assertThat(p).contains("\"emial\""));
        assertThat(FieldPaths.problem("userId ?? raw.details.request.auth.user.email"))
                .isEmpty();
    }

    @Test
    void theBookLayersRulesDirOverTheBuiltInPackAndPublishedRulesOverBoth() {
        RuleDefinition mine = RuleFileLoader.loadOne("mine.yml", "role-created", ONE);
        RuleDefinition bruteForceOff = RuleDefinition.disabled("brute-force", 1, "mine.yml");
        RuleBook book = RuleBook.of(RuleFileLoader.builtIn(), List.of(mine, bruteForceOff), Set.of("signup-abuse"));
        RuleBook.Snapshot before = book.current();
        assertThat(before.rules()).containsKey("role-created").doesNotContainKeys("brute-force", "signup-abuse");
        assertThat(book.entries().get("role-created").origin()).isEqualTo(RuleBook.Origin.RULES_DIR);

        assertThat(book.publish("brute-force", ONE.replace("role-created", "brute-force")))
                .isEmpty();
        assertThat(book.current().rules()).containsKey("brute-force");
        assertThat(book.entries().get("brute-force").origin()).isEqualTo(RuleBook.Origin.PUBLISHED);
        assertThat(before.rules()).as("a snapshot never changes").doesNotContainKey("brute-force");

        assertThat(book.publish("signup-abuse", ONE.replace("role-created", "signup-abuse")))
                .isEmpty();
        assertThat(book.current().rules()).as("RULES_DISABLED wins").doesNotContainKey("signup-abuse");

        assertThat(book.publish("broken", "id: broken\ntitle: ["))
                .hasValueSatisfying(reason -> assertThat(reason).contains("auth.rules[broken]: not valid YAML"));
        assertThat(book.refused()).containsOnlyKeys("broken");

        book.withdraw("brute-force");
        assertThat(book.current().rules())
                .as("back to the RULES_DIR entry, which is off")
                .doesNotContainKey("brute-force");
    }

    private static String indent(String rule) {
        return ("- " + rule.strip().replace("\n", "\n  ")).indent(2);
    }
}
