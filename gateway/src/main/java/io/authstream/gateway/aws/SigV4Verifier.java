package io.authstream.gateway.aws;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}) on a request, as AWS services do:
 * the signature is recomputed from the configured secret of the presented access key and
 * compared in constant time; the request time must be within 15 minutes of ours.
 */
public final class SigV4Verifier {

    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
                    + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);

    /** Why a request was refused; {@code code} is the AWS error type the SDKs understand. */
    public static final class Rejected extends RuntimeException {
        private final String code;

        Rejected(String code, String message) {
            super(message);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** The request parts the signature covers. */
    public record SignedRequest(String method, String path, String rawQuery, Function<String, String> header, byte[] body) {}

    private final Map<String, String> secretsByAccessKey;
    private final String service;
    private final Clock clock;

    public SigV4Verifier(Map<String, String> secretsByAccessKey, String service, Clock clock) {
        this.secretsByAccessKey = Map.copyOf(secretsByAccessKey);
        this.service = service;
        this.clock = clock;
    }

    /** Who signed a verified request, and for which region. */
    public record Signer(String accessKey, String region) {}

    public Signer verify(SignedRequest request) {
        String authorization = Optional.ofNullable(request.header().apply("Authorization")).orElse("");
        Matcher m = AUTHORIZATION.matcher(authorization.trim());
        if (!m.matches()) {
            throw new Rejected("MissingAuthenticationTokenException",
                    "Request is missing a valid AWS Signature Version 4 Authorization header");
        }
        String accessKey = m.group(1);
        String date = m.group(2);
        String region = m.group(3);
        String signedService = m.group(4);
        String signedHeaders = m.group(5);
        String signature = m.group(6);
        if (!service.equals(signedService)) {
            throw new Rejected("InvalidSignatureException", "Credential should be scoped to correct service: '" + service + "'");
        }
        String amzDate = request.header().apply("X-Amz-Date");
        if (amzDate == null) {
            throw new Rejected("IncompleteSignatureException", "Request is missing the X-Amz-Date header");
        }
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new Rejected("IncompleteSignatureException", "X-Amz-Date is not in yyyyMMdd'T'HHmmss'Z' form");
        }
        if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
            throw new Rejected("InvalidSignatureException", "Signature expired: the request time " + amzDate
                    + " is more than 15 minutes from the server time");
        }
        if (!amzDate.startsWith(date)) {
            throw new Rejected("InvalidSignatureException", "Credential date does not match X-Amz-Date");
        }
        // Unknown keys still go through the full computation, so timing does not reveal which keys exist.
        String secret = secretsByAccessKey.get(accessKey);
        String expected = sign(secret == null ? "unknown-key" : secret, date, region, amzDate,
                canonicalRequest(request, signedHeaders));
        boolean matches = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                signature.getBytes(StandardCharsets.US_ASCII));
        if (secret == null) {
            throw new Rejected("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        if (!matches) {
            throw new Rejected("InvalidSignatureException", "The request signature we calculated does not match the "
                    + "signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        return new Signer(accessKey, region);
    }

    private String canonicalRequest(SignedRequest request, String signedHeaders) {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            String value = request.header().apply(name);
            if (value == null) {
                throw new Rejected("IncompleteSignatureException", "Signed header " + name + " is missing from the request");
            }
            canonicalHeaders.append(name.toLowerCase()).append(':').append(value.trim().replaceAll("\\s+", " ")).append('\n');
        }
        String payloadHash = Optional.ofNullable(request.header().apply("X-Amz-Content-Sha256"))
                .filter(h -> !h.startsWith("UNSIGNED")).orElse(HexFormat.of().formatHex(sha256(request.body())));
        return request.method() + "\n" + canonicalPath(request.path()) + "\n" + canonicalQuery(request.rawQuery()) + "\n"
                + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
    }

    private String sign(String secret, String date, String region, String amzDate, String canonicalRequest) {
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HexFormat.of().formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, "aws4_request");
        return HexFormat.of().formatHex(hmac(key, stringToSign));
    }

    private static String canonicalPath(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return Arrays.stream(path.split("/", -1))
                .map(segment -> encode(URLDecoder.decode(segment, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("/"));
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            sorted.put(encode(name), encode(value));
        }
        StringBuilder out = new StringBuilder();
        sorted.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(k).append('=').append(v));
        return out.toString();
    }

    /** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, space as %20, '~' kept. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
