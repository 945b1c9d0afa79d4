package io.authstream.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.fixtures.Samples;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Auth0LogNormalizerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant RECEIVED = Instant.parse("2026-11-23T12:00:00Z");

    static AuthEvent normalize(String sample) throws Exception {
        String raw = new String(Samples.bytes(sample), StandardCharsets.UTF_8);
        return Auth0LogNormalizer.normalize(JSON.readTree(raw), raw, "auth0.log-stream", RECEIVED);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "log-stream/001_s_universal-login-prompts.json, s, user.signed_in, SUCCESS",
        "log-stream/004_f_callback-url-mismatch.json, f, user.sign_in_failed, FAILURE",
        "log-stream/006_fu_wrong-email-or-password.json, fu, user.sign_in_failed, FAILURE",
        "log-stream/007_fp_wrong-password.json, fp, user.sign_in_failed, FAILURE",
        "log-stream/008_slo_logout.json, slo, user.signed_out, SUCCESS",
        "log-stream/010_ss_signup.json, ss, user.signed_up, SUCCESS",
        "log-stream/012_seacft_code-exchange.json, seacft, credentials.exchanged, SUCCESS",
        "log-stream/014_sapi_create-log-stream.json, sapi, api.operation, SUCCESS",
        "log-stream/017_sv_email-verified.json, sv, user.email_verified, SUCCESS",
        "log-stream/022_limit_wc_brute-force-block.json, limit_wc, user.blocked, FAILURE",
        "log-stream/023_pwd_leak_breached-password-ipv6.json, pwd_leak, user.breached_password, FAILURE",
        "log-stream/036_ferrt_refresh-token-reuse_SYNTHETIC.json, ferrt, credentials.refresh_token_reused, FAILURE",
    })
    void everyLogStreamSampleNormalises(String sample, String code, String type, Outcome outcome) throws Exception {
        AuthEvent event = normalize(sample);
        JsonNode source = JSON.readTree(Samples.bytes(sample));
        assertThat(event.getEventId()).isEqualTo(source.path("log_id").asText());
        assertThat(event.getOriginalType()).isEqualTo(code);
        assertThat(event.getType()).isEqualTo(type);
        assertThat(event.getOutcome()).isEqualTo(outcome);
        assertThat(event.getOccurredAt())
                .isEqualTo(Instant.parse(source.path("data").path("date").asText()));
        assertThat(event.getReceivedAt()).isEqualTo(RECEIVED);
        assertThat(event.getSource()).isEqualTo("auth0.log-stream");
        assertThat(event.getIp()).isEqualTo(source.path("data").path("ip").asText());
        assertThat(event.getRaw()).isEqualTo(new String(Samples.bytes(sample), StandardCharsets.UTF_8));
    }

    @Test
    void failedPasswordCarriesUserReasonAndKey() throws Exception {
        AuthEvent event = normalize("log-stream/007_fp_wrong-password.json");
        assertThat(event.getUserId()).isEqualTo("auth0|61823277a44a21007221a59a");
        assertThat(event.getEmail()).isEqualTo("new@test.com");
        assertThat(event.getProvider()).isEqualTo("auth0");
        assertThat(event.getConnection()).isEqualTo("Username-Password-Authentication");
        assertThat(event.getClientId()).isEqualTo("aI61p8I8aFjmYRliLWgvM9ev97kCCNDB");
        assertThat(event.getClientName()).isEqualTo("Default App");
        assertThat(event.getFailureReason()).isEqualTo("Wrong email or password.");
        assertThat(event.getAttributes())
                .containsEntry("strategy_type", "database")
                .containsEntry("connection_id", "con_1a5wCUmAs6VOU17n");
        assertThat(EventKeys.of(event)).isEqualTo("auth0|61823277a44a21007221a59a");
    }

    @Test
    void emptyUserIdFallsBackToTheIpKey() throws Exception {
        AuthEvent event = normalize("log-stream/006_fu_wrong-email-or-password.json");
        assertThat(event.getUserId()).isNull();
        assertThat(EventKeys.of(event)).isEqualTo("ip:81.2.69.143");
    }

    @Test
    void providerComesFromTheUserIdWhenThereIsNoStrategy() throws Exception {
        AuthEvent event = normalize("log-stream/036_ferrt_refresh-token-reuse_SYNTHETIC.json");
        assertThat(event.getProvider()).isEqualTo("google-oauth2");
    }

    @Test
    void unknownCodesPassThrough() throws Exception {
        String raw = "{\"log_id\":\"1\",\"data\":{\"type\":\"zz_new\",\"date\":\"2025-01-01T00:00:00Z\"}}";
        AuthEvent event = Auth0LogNormalizer.normalize(JSON.readTree(raw), raw, "auth0.log-stream", RECEIVED);
        assertThat(event.getType()).isEqualTo("auth0.zz_new");
        assertThat(event.getOriginalType()).isEqualTo("zz_new");
        assertThat(event.getOutcome()).isEqualTo(Outcome.NONE);
        assertThat(EventKeys.of(event)).isEqualTo("1");
    }

    @Test
    void withoutLogIdTheIdIsAStableContentHash() throws Exception {
        String raw = "{\"type\":\"s\",\"date\":\"2025-01-01T00:00:00Z\",\"user_id\":\"auth0|x\"}";
        AuthEvent first = Auth0LogNormalizer.normalize(JSON.readTree(raw), raw, "auth0.log-stream", RECEIVED);
        AuthEvent again =
                Auth0LogNormalizer.normalize(JSON.readTree(raw), raw, "auth0.log-stream", RECEIVED.plusSeconds(5));
        assertThat(first.getEventId()).startsWith("sha256:").isEqualTo(again.getEventId());
    }

    @Test
    void missingDateUsesTheReceiptTimeAndBadDateIsRefused() throws Exception {
        String noDate = "{\"log_id\":\"2\",\"data\":{\"type\":\"s\"}}";
        assertThat(Auth0LogNormalizer.normalize(JSON.readTree(noDate), noDate, "s", RECEIVED)
                        .getOccurredAt())
                .isEqualTo(RECEIVED);
        String badDate = "{\"log_id\":\"3\",\"data\":{\"type\":\"s\",\"date\":\"yesterday\"}}";
        assertThatThrownBy(() -> Auth0LogNormalizer.normalize(JSON.readTree(badDate), badDate, "s", RECEIVED))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("not an ISO-8601 timestamp: yesterday");
    }

    @Test
    void recordsThatAreNotObjectsOrHaveNoTypeAreRefused() throws Exception {
        assertThatThrownBy(() -> Auth0LogNormalizer.normalize(JSON.readTree("42"), "42", "s", RECEIVED))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("got number");
        assertThatThrownBy(() -> Auth0LogNormalizer.normalize(JSON.readTree("{\"data\":{}}"), "{}", "s", RECEIVED))
                .isInstanceOf(NormalizationException.class)
                .hasMessageContaining("no \"type\"");
    }

    @Test
    void auth0LocationInfoBecomesTheEventsGeo() throws Exception {
        String raw = """
                {"log_id": "900loc", "data": {"date": "2026-02-10T08:00:00.000Z", "type": "s", "user_id": "auth0|geo",
                 "ip": "81.2.69.143", "location_info": {"country_code": "GB", "country_code3": "GBR",
                 "country_name": "United Kingdom", "city_name": "London", "latitude": 51.5142, "longitude": "-0.0931",
                 "time_zone": "Europe/London", "continent_code": "EU"}}}""";
        AuthEvent event = Auth0LogNormalizer.normalize(JSON.readTree(raw), raw, "auth0.log-stream", RECEIVED);
        assertThat(event.getGeo().getCountryCode()).isEqualTo("GB");
        assertThat(event.getGeo().getCity()).isEqualTo("London");
        assertThat(event.getGeo().getLatitude()).isEqualTo(51.5142);
        assertThat(event.getGeo().getLongitude()).as("a numeric string counts").isEqualTo(-0.0931);
        assertThat(event.getGeo().getTimeZone()).isEqualTo("Europe/London");
        assertThat(event.getAttributes()).containsEntry(Auth0LogNormalizer.GEO_SOURCE, "auth0.location_info");

        String broken = raw.replace("51.5142", "951.5");
        AuthEvent unlocated = Auth0LogNormalizer.normalize(JSON.readTree(broken), broken, "auth0.log-stream", RECEIVED);
        assertThat(unlocated.getGeo().getCountryCode()).isEqualTo("GB");
        assertThat(unlocated.getGeo().getLatitude())
                .as("out of range: not trusted")
                .isNull();
        assertThat(normalize("log-stream/001_s_universal-login-prompts.json").getGeo())
                .isNull();
    }
}
