package io.authstream.schemas.testing;

import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.DeviceInfo;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.avro.Outcome;
import java.time.Instant;
import java.util.Map;

/** AuthEvents for tests (shipped in the schemas test-jar): one with every field set, one with only the required ones. */
public final class SampleEvents {

    static {
        GeneratedClasses.trust(); // building an event resolves the enum defaults by class
    }

    private SampleEvents() {}

    /** An Auth0 successful login ('s') with every optional field set, non-ASCII text and an IPv6 address. */
    public static AuthEvent full() {
        return AuthEvent.newBuilder()
                .setEventId("90020231122151342561082000000000000001223372036854775807")
                .setSource("auth0.log-stream")
                .setType("user.signed_in")
                .setOriginalType("s")
                .setOccurredAt(Instant.parse("2023-11-22T15:13:42.561Z"))
                .setReceivedAt(Instant.parse("2023-11-22T15:13:43.010Z"))
                .setTenant("dev-authstream")
                .setUserId("auth0|655e1b0a1c9a2b3c4d5e6f70")
                .setEmail("jane.doe@example.com")
                .setDisplayName("Jane Doe — ünïcødé ✓")
                .setPhotoUrl("https://s.gravatar.com/avatar/jd.png")
                .setProvider("auth0")
                .setConnection("Username-Password-Authentication")
                .setClientId("aBcD1234")
                .setClientName("My App")
                .setIp("2001:db8::1")
                .setUserAgent("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0")
                .setGeo(GeoLocation.newBuilder()
                        .setCountryCode("FR")
                        .setCountryName("France")
                        .setCity("Paris")
                        .setLatitude(48.8566)
                        .setLongitude(2.3522)
                        .setTimeZone("Europe/Paris")
                        .setAsn(3215L)
                        .setAsOrganization("Orange S.A.")
                        .build())
                .setDevice(DeviceInfo.newBuilder()
                        .setBrowser("Chrome")
                        .setBrowserVersion("120")
                        .setOs("Linux")
                        .setDeviceClass("Desktop")
                        .setAgentClass("Browser")
                        .build())
                .setOutcome(Outcome.SUCCESS)
                .setAttributes(Map.of("hostname", "dev-authstream.eu.auth0.com", "strategy_type", "database"))
                .setRaw(
                        "{\"log_id\":\"90020231122151342561082000000000000001223372036854775807\",\"data\":{\"type\":\"s\"}}")
                .build();
    }

    /** A failed PutEvents sign-in with only the required fields (every union null, attributes empty). */
    public static AuthEvent minimal() {
        return AuthEvent.newBuilder()
                .setEventId("sha256:0f1e2d")
                .setSource("eventbridge.put-events")
                .setType("user.sign_in_failed")
                .setOccurredAt(Instant.parse("2024-02-29T23:59:59.999Z"))
                .setReceivedAt(Instant.parse("2024-03-01T00:00:00.001Z"))
                .setOutcome(Outcome.FAILURE)
                .setFailureReason("Wrong email or password.")
                .setRaw("{}")
                .build();
    }
}
