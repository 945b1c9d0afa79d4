package io.authstream.gateway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * SigV4Verifier against requests the AWS SDK's own signer ({@link AwsV4HttpSigner}, the one
 * EventBridgeClient uses) signed, and against what only an attacker or a broken client sends,
 * signed by {@link SigV4TestSigner}.
 */
class SigV4VerifierTest {

    private static final String ACCESS_KEY = "AKIDSIGV4TEST";
    private static final String SECRET = "sigv4/test+secret";
    private static final String REGION = "eu-west-1";
    private static final Instant NOW = Instant.parse("2025-08-01T09:30:00Z");
    private static final byte[] BODY = "{\"Entries\":[{\"Source\":\"s\",\"DetailType\":\"d\",\"Detail\":\"{}\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_BODY =
            "{\"Entries\":[{\"Source\":\"forged\",\"DetailType\":\"d\",\"Detail\":\"{}\"}]}"
                    .getBytes(StandardCharsets.UTF_8);

    private final SigV4Verifier verifier =
            new SigV4Verifier(Map.of(ACCESS_KEY, SECRET), "events", Clock.fixed(NOW, ZoneOffset.UTC));

    /** What the verifier is handed: the request line's parts, the headers (any case) and the body. */
    record Request(String path, String rawQuery, Map<String, String> headers, byte[] body) {
        Request {
            TreeMap<String, String> anyCase = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            anyCase.putAll(headers);
            headers = anyCase;
        }

        Request with(String name, String value) {
            Map<String, String> changed = new LinkedHashMap<>(headers);
            changed.put(name, value);
            return new Request(path, rawQuery, changed, body);
        }

        Request withBody(byte[] other) {
            return new Request(path, rawQuery, headers, other);
        }

        SigV4Verifier.SignedRequest signed() {
            return new SigV4Verifier.SignedRequest("POST", path, rawQuery, headers::get, body);
        }
    }

    /** The request as EventBridgeClient would send it, signed by the SDK's signer at {@link #NOW}. */
    private static Request sdkSigned(byte[] body, Map<String, List<String>> query) {
        SdkHttpRequest.Builder http = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("http://127.0.0.1:8080/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "AWSEvents.PutEvents");
        query.forEach(http::putRawQueryParameter);
        SdkHttpRequest signed = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET))
                        .request(http.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "events")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                        .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(NOW, ZoneOffset.UTC)))
                .request();
        Map<String, String> headers = new LinkedHashMap<>();
        signed.headers().forEach((name, values) -> headers.put(name, String.join(",", values)));
        return new Request(signed.encodedPath(), signed.encodedQueryParameters().orElse(null), headers, body);
    }

    /**
     * A request signed by {@link SigV4TestSigner} over {@code signedHeaders} (plus the date header
     * it sends), with {@code payloadHash} in the canonical request.
     */
    private static Request testSigned(
            String canonicalQuery,
            String rawQuery,
            Map<String, String> signedHeaders,
            String payloadHash,
            byte[] body) {
        String authorization = SigV4TestSigner.authorization(
                ACCESS_KEY, SECRET, REGION, "events", NOW, "POST", "/", canonicalQuery, signedHeaders, payloadHash);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Host", "127.0.0.1:8080");
        headers.put("X-Amz-Date", SigV4TestSigner.AMZ_DATE.format(NOW));
        headers.put("Content-Type", "application/x-amz-json-1.1");
        headers.putAll(signedHeaders);
        headers.put("Authorization", authorization);
        return new Request("/", rawQuery, headers, body);
    }

    private static Map<String, String> hostAndDate() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "127.0.0.1:8080");
        headers.put("x-amz-date", SigV4TestSigner.AMZ_DATE.format(NOW));
        return headers;
    }

    private SigV4Verifier.Signer verify(Request request) {
        return verifier.verify(request.signed());
    }

    private static void assertRejected(ThrowingCallable call, String code, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(SigV4Verifier.Rejected.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((SigV4Verifier.Rejected) e).code()).isEqualTo(code));
    }

    @Test
    void theSdksSignedRequestIsVerified() {
        Request request = sdkSigned(BODY, Map.of());

        assertThat(verify(request)).isEqualTo(new SigV4Verifier.Signer(ACCESS_KEY, REGION));
        // The SDK signs over plain http with the body's hash in the header too, which the verifier
        // took as the payload hash: a captured request replayed with another body verified.
        assertThat(request.headers().get("X-Amz-Content-Sha256")).isEqualTo(SigV4TestSigner.sha256Hex(BODY));
        assertThat(request.headers().get("Authorization")).contains("x-amz-content-sha256");
    }

    @Test
    void aCapturedSdkRequestReplayedWithAnotherBodyIsRefused() {
        Request replay = sdkSigned(BODY, Map.of()).withBody(OTHER_BODY);

        assertRejected(
                () -> verify(replay),
                "XAmzContentSHA256Mismatch",
                "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }

    @Test
    void theTestSignerSignsAsTheSdkDoes() {
        Request sdk = sdkSigned(BODY, Map.of("b", List.of("x y"), "a", List.of("1")));
        String sdkAuthorization = sdk.headers().get("Authorization");
        String names = sdkAuthorization.replaceAll(".*SignedHeaders=([^,]+),.*", "$1");
        Map<String, String> signedHeaders = new LinkedHashMap<>();
        for (String name : names.split(";")) {
            signedHeaders.put(name, sdk.headers().get(name));
        }

        String ours = SigV4TestSigner.authorization(
                ACCESS_KEY,
                SECRET,
                REGION,
                "events",
                NOW,
                "POST",
                "/",
                "a=1&b=x%20y",
                signedHeaders,
                SigV4TestSigner.sha256Hex(BODY));

        assertThat(names).contains("host").contains("x-amz-date");
        assertThat(ours).isEqualTo(sdkAuthorization);
    }

    @Test
    void anotherBodyUnderAnUnsignedContentHashHeaderIsRefused() {
        // Signed over BODY's hash without the header; the header added afterwards claims that hash.
        Request original = testSigned("", null, hostAndDate(), SigV4TestSigner.sha256Hex(BODY), BODY);
        Request replay = original.with("X-Amz-Content-Sha256", SigV4TestSigner.sha256Hex(BODY))
                .withBody(OTHER_BODY);

        assertRejected(() -> verify(replay), "XAmzContentSHA256Mismatch", "does not match what was computed");
    }

    @Test
    void anotherBodyUnderASignedContentHashHeaderIsRefused() {
        Map<String, String> signed = hostAndDate();
        signed.put("x-amz-content-sha256", SigV4TestSigner.sha256Hex(BODY));
        Request original = testSigned("", null, signed, SigV4TestSigner.sha256Hex(BODY), BODY);
        assertThat(verify(original).accessKey()).isEqualTo(ACCESS_KEY);

        assertRejected(() -> verify(original.withBody(OTHER_BODY)), "XAmzContentSHA256Mismatch", "does not match");
    }

    @Test
    void aContentHashHeaderThatIsTheBodysHashIsAccepted() {
        Request request = sdkSigned(BODY, Map.of()).with("X-Amz-Content-Sha256", SigV4TestSigner.sha256Hex(BODY));

        assertThat(verify(request).accessKey()).isEqualTo(ACCESS_KEY);
    }

    @Test
    void withoutTheHeaderTheBodyIsWhatIsSigned() {
        Request original = testSigned("", null, hostAndDate(), SigV4TestSigner.sha256Hex(BODY), BODY);
        assertThat(verify(original).accessKey()).isEqualTo(ACCESS_KEY);

        assertRejected(
                () -> verify(original.withBody(OTHER_BODY)),
                "InvalidSignatureException",
                "does not match the signature you provided");
    }

    @ParameterizedTest
    @CsvSource({"UNSIGNED-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"})
    void unsignedAndStreamingPayloadsAreRefused(String payloadHash) {
        Map<String, String> signed = hostAndDate();
        signed.put("x-amz-content-sha256", payloadHash);
        Request request = testSigned("", null, signed, payloadHash, BODY);

        assertRejected(() -> verify(request), "XAmzContentSHA256Mismatch", "signed payloads only");
    }

    @Test
    void hostMustBeSigned() {
        Map<String, String> signed = new LinkedHashMap<>(hostAndDate());
        signed.remove("host");
        Request request = testSigned("", null, signed, SigV4TestSigner.sha256Hex(BODY), BODY);

        assertRejected(() -> verify(request), "IncompleteSignatureException", "'host' must be a 'SignedHeader'");
    }

    @Test
    void xAmzDateMustBeSigned() {
        Map<String, String> signed = new LinkedHashMap<>(hostAndDate());
        signed.remove("x-amz-date");
        Request request = testSigned("", null, signed, SigV4TestSigner.sha256Hex(BODY), BODY);

        assertRejected(() -> verify(request), "IncompleteSignatureException", "'x-amz-date' must be a 'SignedHeader'");
    }

    @Test
    void hostAndDateSignedIsEnough() {
        Request request = testSigned("", null, hostAndDate(), SigV4TestSigner.sha256Hex(BODY), BODY);

        assertThat(verify(request).accessKey()).isEqualTo(ACCESS_KEY);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            nullValues = "null",
            value = {
                "/%|null",
                "/%zz|null",
                "/a%4|null",
                "/%4g/b|null",
                "/|a=%",
                "/|a=%zz",
                "/|%=1",
                "/|a=1&b=%e2%82%",
                "/|a=%%41",
                "/|a=%٣٣"
            })
    void aMalformedPercentEscapeIsRefusedNotThrown(String path, String rawQuery) {
        Request good = sdkSigned(BODY, Map.of());
        Request request = new Request(path, rawQuery, good.headers(), BODY);

        assertRejected(() -> verify(request), "InvalidSignatureException", "malformed percent-encoding");
    }

    @Test
    void aRepeatedQueryParameterIsSignedWithAllItsValues() {
        Request request = sdkSigned(BODY, Map.of("a", List.of("2", "1"), "b", List.of("x y/~+")));

        assertThat(verify(request).accessKey()).isEqualTo(ACCESS_KEY);
        assertRejected(
                () -> verify(new Request(request.path(), "a=2&b=x%20y%2F~%2B", request.headers(), BODY)),
                "InvalidSignatureException",
                "does not match");
    }

    @Test
    void anUnknownKeyOrAWrongSecretIsRefused() {
        Request request = sdkSigned(BODY, Map.of());
        String authorization = request.headers().get("Authorization");

        assertRejected(
                () -> verify(request.with("Authorization", authorization.replace(ACCESS_KEY, "AKIDNOBODY"))),
                "UnrecognizedClientException",
                "security token");
        SigV4Verifier otherSecret =
                new SigV4Verifier(Map.of(ACCESS_KEY, "another-secret"), "events", Clock.fixed(NOW, ZoneOffset.UTC));
        assertRejected(() -> otherSecret.verify(request.signed()), "InvalidSignatureException", "does not match");
    }

    @Test
    void aRequestSignedMoreThanFifteenMinutesAgoIsRefused() {
        Request request = sdkSigned(BODY, Map.of());
        SigV4Verifier later = new SigV4Verifier(
                Map.of(ACCESS_KEY, SECRET), "events", Clock.fixed(NOW.plusSeconds(15 * 60 + 1), ZoneOffset.UTC));

        assertRejected(() -> later.verify(request.signed()), "InvalidSignatureException", "Signature expired");
    }

    /** Signed by the test signer for {@code region}, with the body's hash as the payload hash. */
    private static Request signedFor(String region, byte[] body) {
        String payloadHash = HexFormat.of().formatHex(sha256(body));
        String authorization = SigV4TestSigner.authorization(
                ACCESS_KEY, SECRET, region, "events", NOW, "POST", "/", "", hostAndDate(), payloadHash);
        Map<String, String> headers = new LinkedHashMap<>(hostAndDate());
        headers.put("Authorization", authorization);
        return new Request("/", null, headers, body);
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aKeptSigningKeyVerifiesTheNextRequestAndRefusesAForgedOne() {
        assertThat(verify(signedFor(REGION, BODY))).isEqualTo(new SigV4Verifier.Signer(ACCESS_KEY, REGION));
        assertThat(verifier.signingKeysKept()).isEqualTo(1);

        assertThat(verify(signedFor(REGION, OTHER_BODY))).isEqualTo(new SigV4Verifier.Signer(ACCESS_KEY, REGION));
        assertRejected(
                () -> verify(signedFor(REGION, BODY).withBody(OTHER_BODY)),
                "InvalidSignatureException",
                "does not match");
        assertThat(verifier.signingKeysKept()).isEqualTo(1);
    }

    @Test
    void onlyVerifiedRequestsKeepASigningKeyAndTheirNumberIsBounded() {
        for (int i = 0; i < 100; i++) {
            Request forged = signedFor("region-" + i, BODY).withBody(OTHER_BODY);
            assertRejected(() -> verify(forged), "InvalidSignatureException", "does not match");
        }
        assertThat(verifier.signingKeysKept()).isZero();

        for (int i = 0; i < 3 * SigV4Verifier.MAX_SIGNING_KEYS; i++) {
            assertThat(verify(signedFor("region-" + i, BODY)).region()).isEqualTo("region-" + i);
            assertThat(verifier.signingKeysKept()).isBetween(1, SigV4Verifier.MAX_SIGNING_KEYS);
        }
    }
}
