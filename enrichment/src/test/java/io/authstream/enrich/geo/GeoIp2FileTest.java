package io.authstream.enrich.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.enrich.testing.MmdbWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files in MaxMind's GeoIP2 layout (what GeoLite2-City, GeoIP2-City, GeoLite2-ASN and DB-IP's own
 * downloads use), written here with made-up data and read through the real geoip2 reader: one file
 * answers both families, and an ASN file adds the network to a city file's place.
 */
class GeoIp2FileTest {

    private static Map<String, Object> names(String english) {
        return Map.of("names", Map.of("en", english, "de", "nicht englisch"));
    }

    private static Path city(Path dir) throws IOException {
        return new MmdbWriter("GeoLite2-City")
                .network(
                        "81.2.69.0/24",
                        Map.of(
                                "country",
                                Map.of("iso_code", "GB", "names", Map.of("en", "United Kingdom")),
                                "subdivisions",
                                List.of(names("England")),
                                "city",
                                names("London"),
                                "location",
                                Map.of("latitude", 51.5142, "longitude", -0.0931, "time_zone", "Europe/London")))
                .network(
                        "2a02:8100::/32",
                        Map.of(
                                "country",
                                Map.of("iso_code", "DE", "names", Map.of("en", "Germany")),
                                "location",
                                Map.of("latitude", 51.2993, "longitude", 9.491)))
                .write(dir.resolve("GeoLite2-City.mmdb"));
    }

    private static Path asn(Path dir) throws IOException {
        return new MmdbWriter("GeoLite2-ASN")
                .network(
                        "81.2.69.0/24",
                        Map.of(
                                "autonomous_system_number",
                                20712L,
                                "autonomous_system_organization",
                                "Andrews & Arnold Ltd"))
                .write(dir.resolve("GeoLite2-ASN.mmdb"));
    }

    @Test
    void aCityFileAnswersBothFamiliesWithEnglishNames(@TempDir Path dir) throws IOException {
        try (GeoIpLookup lookup = GeoIpLookup.open(List.of(city(dir)))) {
            GeoHit london = lookup.lookup("81.2.69.142").hit();
            assertThat(london)
                    .isEqualTo(new GeoHit(
                            "GB",
                            "United Kingdom",
                            "England",
                            "London",
                            51.5142,
                            -0.0931,
                            "Europe/London",
                            null,
                            null));
            GeoIpLookup.Result germany = lookup.lookup("2a02:8100::1");
            assertThat(germany.outcome()).isEqualTo(GeoOutcome.LOCATED);
            assertThat(germany.hit().countryCode()).isEqualTo("DE");
            assertThat(germany.hit().city()).isNull();
            assertThat(germany.source()).isEqualTo("GeoLite2-City 2026-01-01");
            assertThat(lookup.lookup("8.8.8.8").outcome()).isEqualTo(GeoOutcome.NOT_FOUND);
        }
    }

    @Test
    void anAsnFileAddsTheNetworkToTheCityFilesPlace(@TempDir Path dir) throws IOException {
        try (GeoIpLookup lookup = GeoIpLookup.open(List.of(city(dir), asn(dir)))) {
            GeoIpLookup.Result result = lookup.lookup("81.2.69.142");
            assertThat(result.hit().city()).isEqualTo("London");
            assertThat(result.hit().asn()).isEqualTo(20712L);
            assertThat(result.hit().asOrganization()).isEqualTo("Andrews & Arnold Ltd");
            assertThat(result.source()).isEqualTo("GeoLite2-City 2026-01-01, GeoLite2-ASN 2026-01-01");
            assertThat(result.hit().toGeoLocation().getAsn()).isEqualTo(20712L);
        }
    }

    @Test
    void aFileOfAnotherKindIsRefusedByName(@TempDir Path dir) throws IOException {
        Path domains = new MmdbWriter("GeoIP2-Domain")
                .network("81.2.69.0/24", Map.of("domain", "aa.net.uk"))
                .write(dir.resolve("GeoIP2-Domain.mmdb"));
        assertThatThrownBy(() -> GeoIpLookup.open(List.of(domains)))
                .hasMessageContaining(domains + " is an MMDB of type 'GeoIP2-Domain'");
    }
}
