package io.authstream.enrich.testing;

import io.authstream.enrich.Enricher;
import io.authstream.enrich.EnrichmentSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The real default database for tests (shipped in the enrichment test-jar): the DB-IP City Lite
 * files that the build installs with npm, named by the system property the root pom sets. Missing
 * files fail the test that asks for them; nothing is skipped.
 */
public final class TestDatabases {

    public static final String PROPERTY = "authstream.geoip.database";

    private TestDatabases() {}

    /** The DB-IP City Lite IPv4 and IPv6 files. */
    public static List<Path> dbipCity() {
        String setting = System.getProperty(PROPERTY);
        if (setting == null || setting.isBlank()) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set: run the tests through Maven,"
                    + " whose surefire/failsafe configuration (root pom) points it at enrichment/geoip/node_modules");
        }
        List<Path> files = Arrays.stream(setting.split(",")).map(Path::of).toList();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(
                        file + " is missing: the enrichment module's build installs it with npm ci"
                                + " (./mvnw -pl enrichment generate-resources), unless -DskipGeoIpInstall was given");
            }
        }
        return files;
    }

    /** {@code GEOIP_DATABASE} as the apps read it, for the DB-IP files. */
    public static String geoIpDatabaseSetting() {
        return String.join(",", dbipCity().stream().map(Path::toString).toList());
    }

    /** One enricher per test JVM on the real database and parser: building the parser takes seconds. */
    public static Enricher sharedEnricher() {
        return Shared.ENRICHER;
    }

    private static final class Shared {
        static final Enricher ENRICHER = Enricher.open(new EnrichmentSettings(dbipCity(), true, 1000));
    }
}
