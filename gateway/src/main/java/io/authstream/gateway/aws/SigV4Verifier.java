package io.authstream.gateway.aws;

import java.io.ByteArrayOutputStream;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}) on a request, as AWS services do:
 * the signature is recomputed from the configured secret of the presented access key and
 * compared in constant time; the request time must be within 15 minutes of ours. What the
 * headers alone can refuse is refused before the body is read ({@link #checkHeaders}).
 *
 * <p>The signature covers the body through the SHA-256 of the bytes received, never through
 * the {@code X-Amz-Content-Sha256} header: a header is only a claim of the sender, and taking it
 * let a captured request be replayed with any other body. When the header is sent it must equal
 * that hash ({@code XAmzContentSHA256Mismatch}, as AWS answers), so {@code UNSIGNED-PAYLOAD} and
 * the {@code STREAMING-*} chunked modes are refused. {@code host} and {@code x-amz-date} must be
 * signed, so a signature cannot be moved to another endpoint or replayed at another time.
 */
public final class SigV4Verifier {

    private static final Pattern AUTHORIZATION =
            Pattern.compile("AWS4-HMAC-SHA256\\s+Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
                    + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String CONTENT_SHA256 = "X-Amz-Content-Sha256";
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+");
    /** Signing keys kept; beyond it the cache starts over (keys, dates and regions in use are few). */
    static final int MAX_SIGNING_KEYS = 64;

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
    public record SignedRequest(
            String method, String path, String rawQuery, Function<String, String> header, byte[] body) {}

    private final Map<String, String> secretsByAccessKey;
    private final String service;
    private final Clock clock;
    /**
     * The signing key of each access key, date and region a request was verified with: deriving
     * it takes four HMACs, and a sender signs many requests with one (AWS's SDKs keep it too).
     * Only a verified request's key is kept, so unsigned traffic cannot fill the cache.
     */
    private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();

    public SigV4Verifier(Map<String, String> secretsByAccessKey, String service, Clock clock) {
        this.secretsByAccessKey = Map.copyOf(secretsByAccessKey);
        this.service = service;
        this.clock = clock;
    }

    /** Who signed a verified request, and for which region. */
    public record Signer(String accessKey, String region) {}

    /** The parts of a SigV4 Authorization header, once its form, scope, date and key are known good. */
    private record Presented(
            String accessKey,
            String secret,
            String date,
            String region,
            String signedHeaders,
            String signature,
            String amzDate) {}

    /**
     * What the headers alone can tell, checked before the body is read: the Authorization
     * header's form, the service, {@code host} and {@code x-amz-date} signed, the request time
     * within 15 minutes, a known access key, and no unsigned or streaming payload. A request
     * refused here never has its body read. (AWS names an unknown key in its error anyway, so
     * refusing it early tells a sender nothing it would not learn.)
     *
     * @throws Rejected when the headers alone refuse the request
     */
    public void checkHeaders(Function<String, String> header) {
        presented(header);
    }

    public Signer verify(SignedRequest request) {
        Presented presented = presented(request.header());
        String cacheKey = presented.accessKey() + '\n' + presented.date() + '\n' + presented.region();
        byte[] cached = signingKeys.get(cacheKey);
        byte[] signingKey =
                cached != null ? cached : signingKey(presented.secret(), presented.date(), presented.region());
        String expected = sign(
                signingKey,
                presented.date(),
                presented.region(),
                presented.amzDate(),
                canonicalRequest(request, presented.signedHeaders()));
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                presented.signature().getBytes(StandardCharsets.US_ASCII))) {
            throw new Rejected(
                    "InvalidSignatureException",
                    "The request signature we calculated does not match the "
                            + "signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        if (cached == null) {
            if (signingKeys.size() >= MAX_SIGNING_KEYS) {
                signingKeys.clear();
            }
            signingKeys.put(cacheKey, signingKey);
        }
        return new Signer(presented.accessKey(), presented.region());
    }

    /** How many signing keys are kept (for tests). */
    int signingKeysKept() {
        return signingKeys.size();
    }

    private Presented presented(Function<String, String> header) {
        String authorization =
                Optional.ofNullable(header.apply("Authorization")).orElse("");
        Matcher m = AUTHORIZATION.matcher(authorization.trim());
        if (!m.matches()) {
            throw new Rejected(
                    "MissingAuthenticationTokenException",
                    "Request is missing a valid AWS Signature Version 4 Authorization header");
        }
        String accessKey = m.group(1);
        String date = m.group(2);
        String region = m.group(3);
        String signedService = m.group(4);
        String signedHeaders = m.group(5);
        String signature = m.group(6);
        List<String> signedNames =
                Arrays.asList(signedHeaders.toLowerCase(Locale.ROOT).split(";", -1));
        for (String required : List.of("host", "x-amz-date")) {
            if (!signedNames.contains(required)) {
                throw new Rejected(
                        "IncompleteSignatureException",
                        "'" + required + "' must be a 'SignedHeader' in the " + "AWS Authorization (SignedHeaders="
                                + signedHeaders + ")");
            }
        }
        if (!service.equals(signedService)) {
            throw new Rejected(
                    "InvalidSignatureException", "Credential should be scoped to correct service: '" + service + "'");
        }
        String amzDate = header.apply("X-Amz-Date");
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
            throw new Rejected(
                    "InvalidSignatureException",
                    "Signature expired: the request time " + amzDate + " is more than 15 minutes from the server time");
        }
        if (!amzDate.startsWith(date)) {
            throw new Rejected("InvalidSignatureException", "Credential date does not match X-Amz-Date");
        }
        String claimed = header.apply(CONTENT_SHA256);
        if (claimed != null && (claimed.equals("UNSIGNED-PAYLOAD") || claimed.startsWith("STREAMING-"))) {
            throw new Rejected(
                    "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what "
                            + "was computed. This endpoint takes signed payloads only: send the hex SHA-256 of the body, or no such header.");
        }
        String secret = secretsByAccessKey.get(accessKey);
        if (secret == null) {
            throw new Rejected("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        return new Presented(accessKey, secret, date, region, signedHeaders, signature, amzDate);
    }

    private String canonicalRequest(SignedRequest request, String signedHeaders) {
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            String value = request.header().apply(name);
            if (value == null) {
                throw new Rejected(
                        "IncompleteSignatureException", "Signed header " + name + " is missing from the request");
            }
            canonicalHeaders
                    .append(name.toLowerCase(Locale.ROOT))
                    .append(':')
                    .append(WHITESPACE_RUN.matcher(value.trim()).replaceAll(" "))
                    .append('\n');
        }
        String payloadHash = payloadHash(request);
        return request.method() + "\n" + canonicalPath(request.path()) + "\n" + canonicalQuery(request.rawQuery())
                + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + payloadHash;
    }

    private byte[] signingKey(String secret, String date, String region) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    private String sign(byte[] signingKey, String date, String region, String amzDate, String canonicalRequest) {
        String scope = date + "/" + region + "/" + service + "/aws4_request";
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HexFormat.of().formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(hmac(signingKey, stringToSign));
    }

    /**
     * The SHA-256 of the body received. A sent {@code X-Amz-Content-Sha256} must be that same hash:
     * it is checked, never used in its place.
     */
    private static String payloadHash(SignedRequest request) {
        String computed = HexFormat.of().formatHex(sha256(request.body() == null ? new byte[0] : request.body()));
        String claimed = request.header().apply(CONTENT_SHA256);
        if (claimed == null || claimed.equals(computed)) {
            return computed;
        }
        String mismatch = "The provided 'x-amz-content-sha256' header does not match what was computed.";
        if (claimed.equals("UNSIGNED-PAYLOAD") || claimed.startsWith("STREAMING-")) {
            mismatch +=
                    " This endpoint takes signed payloads only: send the hex SHA-256 of the body, or no such header.";
        }
        throw new Rejected("XAmzContentSHA256Mismatch", mismatch);
    }

    private static String canonicalPath(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        return Arrays.stream(path.split("/", -1))
                .map(segment -> encode(percentDecode(segment, false, "path")))
                .collect(Collectors.joining("/"));
    }

    /** Parameters sorted by encoded name, then value; a repeated name keeps all its values, as AWS signs them. */
    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), true, "query");
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), true, "query");
            pairs.add(new String[] {encode(name), encode(value)});
        }
        pairs.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        return pairs.stream().map(p -> p[0] + "=" + p[1]).collect(Collectors.joining("&"));
    }

    /**
     * Decodes {@code %XX} escapes (and {@code +} as a space in a query, as {@link java.net.URLDecoder}
     * did here before). A {@code %} not followed by two hex digits is the sender's error, refused
     * with 403 like any other request we cannot canonicalise: URLDecoder threw
     * IllegalArgumentException for it, which reached the client as a 500 and the log as a stack.
     */
    private static String percentDecode(String text, boolean plusIsSpace, String where) {
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream escaped = new ByteArrayOutputStream();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                out.append(c == '+' && plusIsSpace ? ' ' : c);
                i++;
                continue;
            }
            // A run of escapes is one UTF-8 sequence (malformed bytes become U+FFFD, as URLDecoder does).
            escaped.reset();
            while (i < text.length() && text.charAt(i) == '%') {
                int high = i + 1 < text.length() ? hexDigit(text.charAt(i + 1)) : -1;
                int low = i + 2 < text.length() ? hexDigit(text.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    throw new Rejected(
                            "InvalidSignatureException",
                            "The request " + where + " has a malformed " + "percent-encoding at character " + (i + 1)
                                    + ": '%' must be followed by two hexadecimal digits");
                }
                escaped.write(high << 4 | low);
                i += 3;
            }
            out.append(escaped.toString(StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    /** ASCII only: Character.digit would also take other scripts' digits, which no encoder writes. */
    private static int hexDigit(char c) {
        return c < 128 ? Character.digit(c, 16) : -1;
    }

    /** RFC 3986 encoding as SigV4 wants it: unreserved characters kept, space as %20, '~' kept. */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace("*", "%2A")
                .replace("%7E", "~");
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
