package io.authstream.buildchecks;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Which module's main code may use which: the import-control of this build. Each module may use
 * its own packages and those listed for it below, nothing else of authstream's, so a new edge is a
 * reviewed change to this file. The list runs one way (nothing points back up the stack): among
 * others the normaliser does not reach the gateway, and the Streams app neither the gateway nor
 * the connectors. Test support (JUnit, AssertJ, the test stack) and test classes stay out of main.
 * secret-audit is not here: it comes last in the build, after this module, and its pom depends on
 * no module's classes.
 */
class ModuleBoundariesTest {

    /** A module by the packages its main code lives in. */
    enum Module {
        CONFIG("io.authstream.config.."),
        SCHEMAS("io.authstream.schemas.."),
        REGISTRY("io.authstream.registry.."),
        EMBEDDED("io.authstream.embedded"),
        EMBEDDED_CONNECT("io.authstream.embedded.connect.."),
        CONNECT_METRICS("io.authstream.connectmetrics.."),
        USERS_TABLE("io.authstream.users.."),
        NORMALIZER("io.authstream.normalize.."),
        ENRICHMENT("io.authstream.enrich.."),
        GATEWAY("io.authstream.gateway.."),
        STREAMS_APP("io.authstream.streams.."),
        RULES_CLI("io.authstream.rulescli.."),
        OPS_CLI("io.authstream.opscli.."),
        CONNECTORS("io.authstream.connect.."),
        LOCAL_STACK("io.authstream.localstack.."),
        BENCH("io.authstream.bench.."),
        TEST_FIXTURES("io.authstream.fixtures.."),
        TEST_RECORDS("io.authstream.testrecords.."),
        TEST_STACK("io.authstream.teststack..");

        final String packages;

        Module(String packages) {
            this.packages = packages;
        }
    }

    private static final Map<Module, Set<Module>> MAY_USE = Map.ofEntries(
            Map.entry(Module.CONFIG, Set.of()),
            Map.entry(Module.SCHEMAS, Set.of()),
            Map.entry(Module.REGISTRY, Set.of(Module.CONFIG)),
            Map.entry(Module.TEST_FIXTURES, Set.of()),
            Map.entry(Module.TEST_RECORDS, Set.of()),
            Map.entry(Module.EMBEDDED, Set.of(Module.CONFIG, Module.SCHEMAS, Module.REGISTRY)),
            Map.entry(Module.EMBEDDED_CONNECT, Set.of()),
            Map.entry(Module.CONNECT_METRICS, Set.of()),
            Map.entry(Module.USERS_TABLE, Set.of(Module.SCHEMAS)),
            Map.entry(Module.NORMALIZER, Set.of(Module.CONFIG, Module.SCHEMAS)),
            Map.entry(Module.ENRICHMENT, Set.of(Module.CONFIG, Module.SCHEMAS)),
            Map.entry(Module.GATEWAY, Set.of(Module.CONFIG, Module.SCHEMAS, Module.NORMALIZER)),
            Map.entry(Module.STREAMS_APP, Set.of(Module.CONFIG, Module.SCHEMAS, Module.NORMALIZER, Module.ENRICHMENT)),
            Map.entry(
                    Module.RULES_CLI,
                    Set.of(Module.CONFIG, Module.SCHEMAS, Module.NORMALIZER, Module.ENRICHMENT, Module.STREAMS_APP)),
            Map.entry(Module.OPS_CLI, Set.of(Module.SCHEMAS, Module.NORMALIZER, Module.CONNECTORS, Module.RULES_CLI)),
            Map.entry(Module.CONNECTORS, Set.of(Module.SCHEMAS, Module.NORMALIZER, Module.USERS_TABLE)),
            Map.entry(
                    Module.LOCAL_STACK,
                    Set.of(
                            Module.CONFIG,
                            Module.SCHEMAS,
                            Module.REGISTRY,
                            Module.EMBEDDED,
                            Module.EMBEDDED_CONNECT,
                            Module.CONNECT_METRICS,
                            Module.ENRICHMENT,
                            Module.GATEWAY,
                            Module.STREAMS_APP,
                            Module.CONNECTORS)),
            Map.entry(
                    Module.BENCH,
                    Set.of(
                            Module.CONFIG,
                            Module.SCHEMAS,
                            Module.EMBEDDED,
                            Module.NORMALIZER,
                            Module.ENRICHMENT,
                            Module.GATEWAY,
                            Module.STREAMS_APP,
                            Module.TEST_FIXTURES)),
            Map.entry(
                    Module.TEST_STACK,
                    Set.of(Module.CONFIG, Module.SCHEMAS, Module.REGISTRY, Module.EMBEDDED, Module.TEST_RECORDS)));

    /** Libraries only tests use; the test-support modules are made of them. */
    private static final String[] TEST_LIBRARIES = {
        "org.junit..",
        "org.assertj..",
        "net.jqwik..",
        "org.awaitility..",
        "com.github.tomakehurst.wiremock..",
        "com.code_intelligence.jazzer..",
        "org.testcontainers..",
        "com.tngtech.archunit.."
    };

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = MainClasses.all();
    }

    @Test
    void everyMainClassBelongsToAListedModule() {
        assertThat(MAY_USE).containsOnlyKeys(Module.values());
        for (Module module : Module.values()) {
            assertThat(main.that(resideInAPackage(module.packages)))
                    .as("main classes in " + module.packages)
                    .isNotEmpty();
        }
        String[] listed = Arrays.stream(Module.values()).map(m -> m.packages).toArray(String[]::new);
        assertThat(main.that(resideOutsideOfPackages(listed)))
                .as("main classes of no listed module")
                .isEmpty();
    }

    @TestFactory
    Stream<DynamicTest> eachModuleUsesOnlyTheModulesListedForIt() {
        return MAY_USE.entrySet().stream()
                .map(entry -> DynamicTest.dynamicTest(entry.getKey().name(), () -> {
                    Module module = entry.getKey();
                    EnumSet<Module> forbidden = EnumSet.allOf(Module.class);
                    forbidden.remove(module);
                    forbidden.removeAll(entry.getValue());
                    String[] packages = forbidden.stream().map(m -> m.packages).toArray(String[]::new);
                    noClasses()
                            .that()
                            .resideInAPackage(module.packages)
                            .should()
                            .dependOnClassesThat()
                            .resideInAnyPackage(packages)
                            .because(module + " may use only " + entry.getValue())
                            .check(main);
                }));
    }

    @Test
    void mainCodeUsesNoTestLibrary() {
        List<String> support = Stream.of(Module.TEST_STACK, Module.TEST_RECORDS)
                .map(m -> m.packages)
                .toList();
        noClasses()
                .that()
                .resideOutsideOfPackages(support.toArray(String[]::new))
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(TEST_LIBRARIES)
                .because("test libraries are test-scoped; main code that needs one belongs in a test")
                .check(main);
    }

    @Test
    void mainCodeUsesNoTestClass() {
        noClasses()
                .should()
                .dependOnClassesThat(notOnTheMainClassPath())
                .because("a class of ours that no main artifact holds is a test class (from a test-jar)")
                .check(main);
    }

    /** A class in our packages that none of the main artifacts holds: ArchUnit only knows its name. */
    private static DescribedPredicate<JavaClass> notOnTheMainClassPath() {
        return DescribedPredicate.describe(
                "are authstream classes in no main artifact",
                type -> !type.isArray()
                        && type.getPackageName().startsWith("io.authstream")
                        && type.getSource().isEmpty());
    }
}
