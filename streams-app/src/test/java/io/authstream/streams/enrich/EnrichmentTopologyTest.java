package io.authstream.streams.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.enrich.Enricher;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.streams.TestDrivers;
import io.authstream.streams.TopologyFixtures;
import io.authstream.streams.security.TravelDetector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Enrichment through the production topology, on the real DB-IP database and user agent parser:
 * Auth0 log records without {@code location_info}, normalised as the gateway does, reach the
 * ordered topic, the profiles and the travel rules located by their IPs.
 */
class EnrichmentTopologyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T0 = TopologyFixtures.T0;
    /** Deutsche Telekom (DE) and NTT (JP) customer addresses, as DB-IP places them. */
    private static final String GERMANY = "80.133.10.1";

    private static final String JAPAN = "153.150.0.1";
    private static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15"
            + " (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

    private TopologyTestDriver driver;
    private TestInputTopic<String, AuthEvent> raw;
    private int logIds;

    @BeforeEach
    void start() {
        driver = TestDrivers.start("enrichment-topology-test", TopologyFixtures.GRACE);
        raw = TestDrivers.raw(driver);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    /** A successful Auth0 login ('s') as Log Streams delivers it, without location_info. */
    private ObjectNode login(String user, String ip, Instant at) {
        ObjectNode data = JSON.createObjectNode()
                .put("date", at.toString())
                .put("type", "s")
                .put("ip", ip)
                .put("user_id", user)
                .put("user_name", user.substring(user.indexOf('|') + 1) + "@example.com")
                .put("user_agent", IPHONE)
                .put("connection", "Username-Password-Authentication")
                .put("strategy", "auth0");
        ObjectNode record = JSON.createObjectNode().put("log_id", "90020250301" + String.format("%08d", ++logIds));
        record.set("data", data);
        return record;
    }

    private void send(JsonNode log) {
        AuthEvent event = Auth0LogNormalizer.normalize(
                log,
                log.toString(),
                "auth0.log-stream",
                Instant.parse(log.get("data").get("date").asText()));
        raw.pipeInput(event.getUserId(), event, event.getOccurredAt());
    }

    private List<SecurityAlert> alerts() {
        driver.advanceWallClockTime(TopologyFixtures.GRACE.plusSeconds(1));
        return TestDrivers.output(driver, Topics.AUTH_SECURITY_ALERTS.name(), SecurityAlert.class)
                .readValuesToList();
    }

    private double metric(String name, String outcome) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .filter(e -> outcome == null || outcome.equals(e.getKey().tags().get("outcome")))
                .mapToDouble(e -> (Double) e.getValue().metricValue())
                .sum();
    }

    @Test
    void signInsLocatedOnlyByTheirIpsInTwoCountriesAreImpossibleTravel() {
        send(login("auth0|traveler", GERMANY, T0));
        send(login("auth0|traveler", JAPAN, T0.plus(Duration.ofMinutes(30))));
        List<SecurityAlert> fired = alerts();

        assertThat(fired).extracting(SecurityAlert::getRuleId).containsExactly(TravelDetector.IMPOSSIBLE_TRAVEL);
        SecurityAlert travel = fired.get(0);
        assertThat(travel.getAttributes()).containsEntry("countries", "DE->JP");
        // Germany to Japan is about 9 000 km however the database places the two networks.
        assertThat(Double.parseDouble(travel.getAttributes().get("distance_km")))
                .isBetween(8000.0, 10000.0);
        assertThat(travel.getIp()).isEqualTo(JAPAN);

        // The ordered topic carries the same enriched events the rules saw.
        List<AuthEvent> ordered = TestDrivers.output(driver, Topics.AUTH_EVENTS_ORDERED.name(), AuthEvent.class)
                .readValuesToList();
        assertThat(ordered).extracting(e -> e.getGeo().getCountryCode()).containsExactly("DE", "JP");
        assertThat(ordered).allSatisfy(e -> {
            assertThat(e.getAttributes()).containsEntry(Enricher.GEO_SOURCE, Enricher.GEOIP);
            assertThat(e.getDevice().getOs()).isEqualTo("iOS");
            assertThat(e.getDevice().getDeviceClass()).isEqualTo("Phone");
        });
        List<UserProfile> profiles = TestDrivers.output(driver, Topics.AUTH_PROFILES.name(), UserProfile.class)
                .readValuesToList();
        assertThat(profiles.get(profiles.size() - 1).getLastCountry()).isEqualTo("JP");
        assertThat(metric("enrich-geo-total", "located")).isEqualTo(2.0);
        assertThat(metric("enrich-devices-total", null)).isEqualTo(2.0);
    }

    @Test
    void theLocationInTheRecordWinsAndPrivateAddressesStayUnlocated() {
        ObjectNode withLocation = login("auth0|paris", JAPAN, T0);
        ((ObjectNode) withLocation.get("data"))
                .set(
                        "location_info",
                        JSON.createObjectNode()
                                .put("country_code", "FR")
                                .put("city_name", "Paris")
                                .put("latitude", 48.8566)
                                .put("longitude", 2.3522));
        send(withLocation);
        send(login("auth0|office", "10.20.30.40", T0.plusSeconds(1)));
        send(login("auth0|office", "fd00::42", T0.plusSeconds(2)));
        assertThat(alerts()).isEmpty();

        Map<String, AuthEvent> ordered = new java.util.HashMap<>();
        TestDrivers.output(driver, Topics.AUTH_EVENTS_ORDERED.name(), AuthEvent.class)
                .readValuesToList()
                .forEach(e -> ordered.put(e.getIp(), e));
        assertThat(ordered.get(JAPAN).getGeo().getCountryCode()).isEqualTo("FR");
        assertThat(ordered.get(JAPAN).getAttributes())
                .containsEntry(Enricher.GEO_SOURCE, "auth0.location_info")
                .doesNotContainKey(Enricher.GEO_DATABASE);
        assertThat(ordered.get("10.20.30.40").getGeo()).isNull();
        assertThat(ordered.get("fd00::42").getGeo()).isNull();
        assertThat(metric("enrich-geo-total", "payload")).isEqualTo(1.0);
        assertThat(metric("enrich-geo-total", "not_public")).isEqualTo(2.0);
        assertThat(metric("enrich-geo-total", "located")).isZero();
    }

    @Test
    void aNewCountryIsFoundFromLookedUpLocations() {
        List<JsonNode> logs = new ArrayList<>();
        for (int day = 0; day < 5; day++) {
            logs.add(login("auth0|commuter", GERMANY, T0.plus(Duration.ofDays(day))));
        }
        logs.forEach(this::send);
        assertThat(alerts()).isEmpty();
        send(login("auth0|commuter", "2400:4050::1", T0.plus(Duration.ofDays(6))));
        List<SecurityAlert> fired = alerts();
        assertThat(fired).extracting(SecurityAlert::getRuleId).containsExactly(TravelDetector.NEW_COUNTRY);
        assertThat(fired.get(0).getAttributes()).containsEntry("country", "JP").containsEntry("known_countries", "DE");
    }
}
