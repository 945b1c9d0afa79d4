package io.authstream.gateway.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 written from AWS's documentation, apart from {@link SigV4Verifier}, so
 * tests can sign what the AWS SDK never would: a request without {@code host} among its signed
 * headers, or with {@code UNSIGNED-PAYLOAD} as its payload hash. It takes the canonical URI and
 * query as given, so it shares no canonicalisation code with the verifier; SigV4VerifierTest
 * checks that it signs exactly as the SDK does.
 */
final class SigV4TestSigner {

    static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private SigV4TestSigner() {}

    /**
     * The Authorization header value.
     *
     * @param signedHeaders the headers to sign, by any case of name (host and x-amz-date only if the test wants them)
     * @param payloadHash what the canonical request carries as the payload hash
     */
    static String authorization(
            String accessKey,
            String secret,
            String region,
            String service,
            Instant at,
            String method,
            String canonicalUri,
            String canonicalQuery,
            Map<String, String> signedHeaders,
            String payloadHash) {
        TreeMap<String, String> headers = new TreeMap<>();
        signedHeaders.forEach((name, value) ->
                headers.put(name.toLowerCase(Locale.ROOT), value.trim().replaceAll("\\s+", " ")));
        String names = String.join(";", headers.keySet());
        String canonicalHeaders = headers.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue() + "\n")
                .collect(Collectors.joining());
        String canonicalRequest = method + "\n" + canonicalUri + "\n" + canonicalQuery + "\n" + canonicalHeaders + "\n"
                + names + "\n" + payloadHash;
        String amzDate = AMZ_DATE.format(at);
        String date = amzDate.substring(0, 8);
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        for (String part : new String[] {region, service, "aws4_request"}) {
            key = hmac(key, part);
        }
        return "AWS4-HMAC-SHA256 Credential=" + accessKey + "/" + scope + ", SignedHeaders=" + names + ", Signature="
                + HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
