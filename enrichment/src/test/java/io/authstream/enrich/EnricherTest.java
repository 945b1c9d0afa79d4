package io.authstream.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.enrich.geo.GeoOutcome;
import io.authstream.enrich.testing.TestDatabases;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.DeviceInfo;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.testing.SampleEvents;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The enricher on the real DB-IP database and the real user agent parser. */
class EnricherTest {

    private static final String CHROME_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
    private static final String SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X)"
            + " AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
    private static final String CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36"
            + " (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36";
    private static final String GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

    private final Enricher enricher = TestDatabases.sharedEnricher();

    /** A sign-in without geo and device, as the normaliser leaves an Auth0 record without location_info. */
    private static AuthEvent signIn(String ip, String userAgent) {
        return AuthEvent.newBuilder(SampleEvents.full())
                .setGeo(null)
                .setDevice(null)
                .setIp(ip)
                .setUserAgent(userAgent)
                .setAttributes(Map.of("hostname", "dev-authstream.eu.auth0.com"))
                .build();
    }

    private static DeviceInfo device(
            String browser, String version, String os, String osVersion, String deviceClass, String agentClass) {
        return DeviceInfo.newBuilder()
                .setBrowser(browser)
                .setBrowserVersion(version)
                .setOs(os)
                .setOsVersion(osVersion)
                .setDeviceClass(deviceClass)
                .setAgentClass(agentClass)
                .build();
    }

    @Test
    void anEventWithoutLocationGetsTheLookedUpPlaceAndSaysSo() {
        Enrichment result = enricher.enrich(signIn("80.133.10.1", null));
        assertThat(result.geo()).isEqualTo(GeoOutcome.LOCATED);
        GeoLocation geo = result.event().getGeo();
        assertThat(geo.getCountryCode()).isEqualTo("DE");
        assertThat(geo.getLatitude()).isNotNull();
        assertThat(geo.getLongitude()).isNotNull();
        assertThat(result.event().getAttributes())
                .containsEntry(Enricher.GEO_SOURCE, Enricher.GEOIP)
                .containsEntry("hostname", "dev-authstream.eu.auth0.com")
                .hasEntrySatisfying(Enricher.GEO_DATABASE, db -> assertThat(db).startsWith("city ipv4 "));
        assertThat(enricher.enrich(signIn("2400:4050::1", null))
                        .event()
                        .getGeo()
                        .getCountryCode())
                .isEqualTo("JP");
    }

    @Test
    void aLocationInThePayloadWinsOverTheLookup() {
        GeoLocation paris = GeoLocation.newBuilder()
                .setCountryCode("FR")
                .setCity("Paris")
                .setLatitude(48.8566)
                .setLongitude(2.3522)
                .build();
        AuthEvent fromAuth0 = AuthEvent.newBuilder(signIn("8.8.8.8", null))
                .setGeo(paris)
                .setAttributes(Map.of(Enricher.GEO_SOURCE, "auth0.location_info"))
                .build();
        Enrichment kept = enricher.enrich(fromAuth0);
        assertThat(kept.geo()).isEqualTo(GeoOutcome.PAYLOAD);
        assertThat(kept.event()).isSameAs(fromAuth0);

        // A payload location whose normaliser did not name its origin is marked as the payload's.
        Enrichment unnamed = enricher.enrich(
                AuthEvent.newBuilder(signIn("8.8.8.8", null)).setGeo(paris).build());
        assertThat(unnamed.event().getGeo()).isEqualTo(paris);
        assertThat(unnamed.event().getAttributes())
                .containsEntry(Enricher.GEO_SOURCE, Enricher.PAYLOAD)
                .doesNotContainKey(Enricher.GEO_DATABASE);
    }

    @Test
    void privateLoopbackMalformedAndMissingIpsLeaveTheEventWithoutGeo() {
        assertThat(enricher.enrich(signIn("192.168.1.20", null)).geo()).isEqualTo(GeoOutcome.NOT_PUBLIC);
        assertThat(enricher.enrich(signIn("::1", null)).geo()).isEqualTo(GeoOutcome.NOT_PUBLIC);
        assertThat(enricher.enrich(signIn("10.0.0.7, 8.8.8.8", null)).geo()).isEqualTo(GeoOutcome.MALFORMED);
        Enrichment none = enricher.enrich(signIn(null, null));
        assertThat(none.geo()).isEqualTo(GeoOutcome.NO_IP);
        assertThat(none.event().getGeo()).isNull();
        assertThat(none.event().getAttributes()).doesNotContainKey(Enricher.GEO_SOURCE);
    }

    @Test
    void userAgentsBecomeDevices() {
        assertThat(enricher.enrich(signIn(null, CHROME_WINDOWS)).event().getDevice())
                .isEqualTo(device("Chrome", "120", "Windows NT", null, "Desktop", "Browser"));
        assertThat(enricher.enrich(signIn(null, SAFARI_IPHONE)).event().getDevice())
                .isEqualTo(device("Safari", "17", "iOS", "17", "Phone", "Browser"));
        assertThat(enricher.enrich(signIn(null, CHROME_ANDROID)).event().getDevice())
                .isEqualTo(device("Chrome", "120", "Android", "14", "Phone", "Browser"));
        assertThat(enricher.enrich(signIn(null, "curl/8.4.0")).event().getDevice())
                .isEqualTo(device("Curl", "8", "Cloud", null, "Robot", "Robot"));
        assertThat(enricher.enrich(signIn(null, GOOGLEBOT)).event().getDevice().getDeviceClass())
                .isEqualTo("Robot");
        Enrichment noAgent = enricher.enrich(signIn(null, " "));
        assertThat(noAgent.device()).isFalse();
        assertThat(noAgent.event().getDevice()).isNull();
    }

    @Test
    void enrichingIsDeterministicAndIdempotent() {
        AuthEvent event = signIn("2003:e0::1", SAFARI_IPHONE);
        AuthEvent once = enricher.enrich(event).event();
        assertThat(enricher.enrich(event).event()).isEqualTo(once);
        Enrichment twice = enricher.enrich(once);
        assertThat(twice.event()).isEqualTo(once);
        assertThat(twice.geo()).isEqualTo(GeoOutcome.PAYLOAD);
        assertThat(once.getGeo().getCountryCode()).isEqualTo("DE");
        assertThat(once.getDevice().getDeviceClass()).isEqualTo("Phone");
    }

    @Test
    void anEnricherWithBothPartsOffChangesNothing() {
        AuthEvent event = signIn("8.8.8.8", CHROME_WINDOWS);
        Enrichment result = Enricher.off().enrich(event);
        assertThat(result.event()).isSameAs(event);
        assertThat(result.geo()).isEqualTo(GeoOutcome.OFF);
        assertThat(Enricher.off().describe()).isEqualTo("geo off; user agents off");
    }
}
