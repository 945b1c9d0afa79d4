package io.authstream.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.config.SettingsDef;
import io.authstream.enrich.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrichmentSettingsTest {

    private static EnrichmentSettings read(Map<String, String> variables) {
        return EnrichmentSettings.from(
                SettingsDef.of("enrichment", EnrichmentSettings.settings()).read(variables));
    }

    @Test
    void theDatabaseIsRequiredOrExplicitlyOff() {
        assertThatThrownBy(() -> read(Map.of())).hasMessageContaining("GEOIP_DATABASE is required");
        EnrichmentSettings off = read(Map.of("GEOIP_DATABASE", "OFF", "USER_AGENT_PARSING", "off"));
        assertThat(off.geoIpDatabases()).isEmpty();
        assertThat(off.parseUserAgents()).isFalse();
        assertThat(off).hasToString("geoip=off, userAgents=off");
    }

    @Test
    void commaSeparatedFilesAreCheckedAtStart() {
        EnrichmentSettings settings = read(Map.of(
                "GEOIP_DATABASE", " " + TestDatabases.geoIpDatabaseSetting().replace(",", " , ")));
        assertThat(settings.geoIpDatabases()).isEqualTo(TestDatabases.dbipCity());
        assertThat(settings.parseUserAgents()).isTrue();
        assertThat(settings.userAgentCacheSize()).isEqualTo(10_000);
    }

    @Test
    void everyBadValueIsNamed(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("city.mmdb"), "{}");
        assertThatThrownBy(() -> read(Map.of(
                        "GEOIP_DATABASE",
                        TestDatabases.dbipCity().get(0) + "," + text + "," + dir.resolve("gone.mmdb"),
                        "USER_AGENT_PARSING",
                        "maybe",
                        "USER_AGENT_CACHE_SIZE",
                        "-1")))
                .hasMessageContaining("GEOIP_DATABASE: " + text + " is not an MMDB file")
                .hasMessageContaining(dir.resolve("gone.mmdb") + " does not exist")
                .hasMessageContaining("USER_AGENT_PARSING must be 'on' or 'off', got 'maybe'")
                .hasMessageContaining("USER_AGENT_CACHE_SIZE must be between 0 and 10000000, got -1");
        assertThatThrownBy(() -> read(Map.of("GEOIP_DATABASE", " , "))).hasMessageContaining("no MMDB file given");
    }

    /** DB-IP's licence (CC BY 4.0) asks for the attribution wherever the data is used. */
    @Test
    void theReadmeAttributesTheDefaultDatabase() throws IOException {
        assertThat(Files.readString(Path.of("..", "README.md")))
                .contains("IP geolocation by DB-IP", "https://db-ip.com");
    }
}
