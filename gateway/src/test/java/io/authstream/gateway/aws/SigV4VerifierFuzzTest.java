package io.authstream.gateway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Jazzer over SigV4Verifier.verify with fuzzed Authorization, X-Amz-Date, headers, path, query
 * and body. The only outcomes are a Signer or Rejected (a 403). Besides crashes it checks what
 * the verifier is for: only a request signed with the key's secret verifies, and a verified
 * request's X-Amz-Content-Sha256, if sent, is the hash of its body.
 *
 * <p>The input's first choice decides how the Authorization header is made: fuzzed as a whole,
 * from fuzzed parts in the expected shape (so the fuzzer gets past the header's pattern), or
 * signed by {@link SigV4TestSigner} with the real secret (so it reaches the accepting path).
 */
class SigV4VerifierFuzzTest {

    private static final String ACCESS_KEY = "AKIDFUZZ";
    private static final String SECRET = "fuzz/secret";
    private static final Instant NOW = Instant.parse("2025-08-01T09:30:00Z");
    private static final String AMZ_NOW = SigV4TestSigner.AMZ_DATE.format(NOW);
    private static final List<String> HEADER_NAMES = List.of(
            "host",
            "x-amz-date",
            "content-type",
            "x-amz-target",
            "x-amz-content-sha256",
            "content-length",
            "x-amz-security-token");
    private static final List<String> CODES = List.of(
            "MissingAuthenticationTokenException",
            "IncompleteSignatureException",
            "InvalidSignatureException",
            "UnrecognizedClientException",
            "XAmzContentSHA256Mismatch");

    private final SigV4Verifier verifier =
            new SigV4Verifier(Map.of(ACCESS_KEY, SECRET), "events", Clock.fixed(NOW, ZoneOffset.UTC));

    private enum Authorization {
        FUZZED,
        SHAPED,
        SIGNED
    }

    @DictionaryEntries({
        "AWS4-HMAC-SHA256",
        "Credential=",
        "SignedHeaders=",
        "Signature=",
        "/aws4_request",
        "events",
        "AKIDFUZZ",
        "20250801",
        "20250801T093000Z",
        "host;x-amz-date",
        "UNSIGNED-PAYLOAD",
        "STREAMING-",
        "%",
        "%2",
        "+"
    })
    @FuzzTest(maxDuration = "10s")
    void verify(FuzzedDataProvider data) {
        Authorization mode = data.pickValue(Authorization.values());
        String path = data.consumeBoolean() ? "/" : data.consumeString(64);
        String query = data.consumeBoolean() ? null : data.consumeString(128);
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Host", "127.0.0.1:8080");
        headers.put("X-Amz-Date", data.consumeBoolean() ? AMZ_NOW : data.consumeString(24));
        int extra = data.consumeInt(0, 4);
        for (int i = 0; i < extra; i++) {
            String name = data.consumeBoolean() ? data.pickValue(HEADER_NAMES) : data.consumeString(16);
            headers.put(name, data.consumeString(96));
        }
        byte[] body = data.consumeBytes(512);
        boolean hashHeader = data.consumeBoolean();
        if (hashHeader) {
            headers.put(
                    "X-Amz-Content-Sha256",
                    data.consumeBoolean() ? SigV4TestSigner.sha256Hex(body) : data.consumeString(70));
        }
        headers.put(
                "Authorization",
                switch (mode) {
                    case FUZZED -> data.consumeRemainingAsString();
                    case SHAPED ->
                        "AWS4-HMAC-SHA256 Credential=" + (data.consumeBoolean() ? ACCESS_KEY : data.consumeString(24))
                                + "/" + (data.consumeBoolean() ? AMZ_NOW.substring(0, 8) : data.consumeString(10))
                                + "/" + data.consumeString(16) + "/"
                                + (data.consumeBoolean() ? "events" : data.consumeString(10))
                                + "/aws4_request, SignedHeaders=" + data.consumeString(64)
                                + ", Signature=" + data.consumeString(70);
                    case SIGNED -> signed(data, headers, body);
                });

        SigV4Verifier.Signer signer;
        try {
            signer = verifier.verify(new SigV4Verifier.SignedRequest("POST", path, query, headers::get, body));
        } catch (SigV4Verifier.Rejected e) {
            assertThat(e.code()).isIn(CODES);
            assertThat(e.getMessage()).isNotBlank();
            return;
        }
        assertThat(mode).as("only a request signed with the secret verifies").isEqualTo(Authorization.SIGNED);
        assertThat(signer.accessKey()).isEqualTo(ACCESS_KEY);
        String sentHash = headers.get("X-Amz-Content-Sha256");
        if (sentHash != null) {
            assertThat(sentHash).as("the hash a verified request sends").isEqualTo(SigV4TestSigner.sha256Hex(body));
        }
    }

    /**
     * Signs with the real secret over a fuzzed choice of the request's headers; the canonical
     * URI and query are "/" and "" as the test signer is given them, so a request with another
     * path or query (or one whose hash header lies) must still be refused.
     */
    private static String signed(FuzzedDataProvider data, Map<String, String> headers, byte[] body) {
        Map<String, String> toSign = new LinkedHashMap<>();
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (data.consumeBoolean()) {
                toSign.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue());
            }
        }
        String payloadHash = data.consumeBoolean() ? SigV4TestSigner.sha256Hex(body) : data.consumeString(70);
        return SigV4TestSigner.authorization(
                ACCESS_KEY, SECRET, data.consumeString(12), "events", NOW, "POST", "/", "", toSign, payloadHash);
    }
}
