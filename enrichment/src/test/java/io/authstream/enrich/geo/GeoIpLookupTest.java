package io.authstream.enrich.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.enrich.testing.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lookups in the real DB-IP City Lite files. The expected places are what this database release
 * answers (checked by hand against it), for addresses whose country is well known: Google's
 * public DNS (US), a Deutsche Telekom customer range (DE), NTT (JP), Andrews &amp; Arnold (GB).
 */
class GeoIpLookupTest {

    private static GeoIpLookup lookup;

    @BeforeAll
    static void open() {
        lookup = GeoIpLookup.open(TestDatabases.dbipCity());
    }

    @AfterAll
    static void close() {
        lookup.close();
    }

    private static GeoHit located(String ip) {
        GeoIpLookup.Result result = lookup.lookup(ip);
        assertThat(result.outcome()).as(ip).isEqualTo(GeoOutcome.LOCATED);
        return result.hit();
    }

    @Test
    void ipv4AddressesGetCountryRegionCityAndCoordinates() {
        GeoHit google = located("8.8.8.8");
        assertThat(google.countryCode()).isEqualTo("US");
        assertThat(google.region()).isEqualTo("California");
        assertThat(google.city()).isEqualTo("Mountain View");
        // The file stores 32-bit floats; the event gets their shortest decimal.
        assertThat(google.latitude()).isEqualTo(37.422);
        assertThat(google.longitude()).isEqualTo(-122.085);
        assertThat(located("80.133.10.1").countryCode()).isEqualTo("DE");
        assertThat(located("153.150.0.1").countryCode()).isEqualTo("JP");
        assertThat(located("81.2.69.142").countryCode()).isEqualTo("GB");
        assertThat(lookup.lookup("8.8.8.8").source()).startsWith("city ipv4 ");
    }

    @Test
    void ipv6AddressesAreLookedUpInTheIpv6File() {
        // In the IPv4 file (an IPv6 tree) this Deutsche Telekom address lands on a US network.
        GeoHit telekom = located("2003:e0::1");
        assertThat(telekom.countryCode()).isEqualTo("DE");
        assertThat(telekom.latitude()).isBetween(47.0, 55.0);
        assertThat(located("2400:4050::1").countryCode()).isEqualTo("JP");
        assertThat(lookup.lookup("2003:e0::1").source()).startsWith("city ipv6 ");
        // IPv4-mapped IPv6 is IPv4.
        assertThat(located("::ffff:8.8.8.8")).isEqualTo(located("8.8.8.8"));
    }

    @Test
    void specialMalformedAndMissingAddressesGetNoPlaceAndNoError() {
        for (String ip : new String[] {
            "10.0.0.1",
            "192.168.1.1",
            "127.0.0.1",
            "::1",
            "fe80::1",
            "fd00::1",
            "169.254.1.1",
            "2001:db8::5",
            "198.51.100.7"
        }) {
            assertThat(lookup.lookup(ip).outcome()).as(ip).isEqualTo(GeoOutcome.NOT_PUBLIC);
            assertThat(lookup.lookup(ip).hit()).isEqualTo(GeoHit.NONE);
        }
        for (String ip : new String[] {"not an ip", "999.1.1.1", "8.8.8", "example.com", "2001:::1"}) {
            assertThat(lookup.lookup(ip).outcome()).as(ip).isEqualTo(GeoOutcome.MALFORMED);
        }
        assertThat(lookup.lookup(null).outcome()).isEqualTo(GeoOutcome.NO_IP);
        assertThat(lookup.lookup(" ").outcome()).isEqualTo(GeoOutcome.NO_IP);
        // Not in any special-purpose range, yet in no network of the database: 4000::/3 lies outside
        // the global unicast space 2000::/3 that IANA hands out.
        assertThat(lookup.lookup("4000::1").outcome()).isEqualTo(GeoOutcome.NOT_FOUND);
    }

    @Test
    void unusableFilesAreNamedWithWhatIsWrong(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("not-a-database.mmdb"), "just text, no metadata marker");
        assertThatThrownBy(() -> GeoIpLookup.open(List.of(dir.resolve("missing.mmdb"), text)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(dir.resolve("missing.mmdb") + " does not exist")
                .hasMessageContaining(text + " is not an MMDB file");
        assertThatThrownBy(() -> GeoIpLookup.open(List.of(dir))).hasMessageContaining(dir + " is not a readable file");
        assertThatThrownBy(() -> GeoIpLookup.open(List.of())).hasMessageContaining("no MMDB file given");
    }

    @Test
    void describesItsFilesWithTheirBuildDates() {
        assertThat(lookup.describe()).matches("city ipv4 \\d{4}-\\d\\d-\\d\\d, city ipv6 \\d{4}-\\d\\d-\\d\\d");
    }
}
