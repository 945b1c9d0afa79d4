package io.authstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.fixtures.Samples;
import io.authstream.gateway.http.GatewayServer;
import io.authstream.gateway.ingest.BodyItem;
import io.authstream.gateway.ingest.JsonBatchParser;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventBridgeNormalizer;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleFileLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the rule matching benchmark feeds, generated deterministically (seeded): 100 user rules
 * beside the built-in pack, and Auth0 traffic of mixed types made from the sample payloads and
 * normalised as the gateway does (its body parser, then the Log Streams or EventBridge
 * normaliser, so {@code raw} is the record's own text).
 */
final class RuleMatchingInputs {

    static final int USER_RULES = 100;
    static final Instant RECEIVED_AT = Instant.parse("2026-11-23T12:00:00Z");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] RESOURCES = {
        "users",
        "clients",
        "connections",
        "roles",
        "rules",
        "actions",
        "log-streams",
        "hooks",
        "organizations",
        "resource-servers",
        "tenants/settings",
        "branding",
        "email-templates",
        "grants",
        "keys/signing"
    };
    private static final String[] SIGN_IN_CODES = {"s", "s", "s", "ssa"};
    private static final String[] FAILURE_CODES = {"f", "fp", "fp", "fu", "fc"};
    private static final String[] EXCHANGE_CODES = {"seacft", "seacft", "sertft", "sertft", "seccft", "feacft"};
    private static final String[] MFA_CODES = {"gd_auth_succeed", "gd_auth_succeed", "gd_send_pn", "gd_auth_failed"};
    private static final String[] MFA_DESCRIPTIONS = {
        "Guardian - Authentication succeeded", "Guardian - Push notification sent",
        "Guardian - Authentication failed", "Guardian - Push notification rejected"
    };
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0"
                + " Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0"
                + " Safari/537.36 Edg/130.0.0.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)"
                + " Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Go-http-client/2.0",
        "python-requests/2.32.3",
        "okhttp/4.12.0"
    };

    private RuleMatchingInputs() {}

    /** The built-in pack followed by {@link #USER_RULES} generated user rules. */
    static List<RuleDefinition> rules() {
        List<RuleDefinition> rules = new ArrayList<>(RuleFileLoader.builtIn());
        rules.addAll(userRules());
        return rules;
    }

    /**
     * 100 rules as users write them, through the loader (so they are validated): exact, prefix,
     * suffix, cidr, anything-but, numeric, wildcard, exists, equals-ignore-case and $or over the
     * event's type, originalType, ip, clientId, userAgent, attributes and raw.details paths.
     */
    static List<RuleDefinition> userRules() {
        Random random = new Random(18);
        ArrayNode list = JSON.createArrayNode();
        for (int i = 0; i < USER_RULES; i++) {
            ObjectNode rule = list.addObject();
            rule.put("id", String.format(Locale.ROOT, "user-rule-%03d", i));
            rule.put("title", "User rule " + i);
            rule.put("severity", List.of("LOW", "MEDIUM", "HIGH").get(i % 3));
            rule.put("description", "A generated user rule for the matching benchmark.");
            rule.putArray("eventTypes").add("s");
            rule.put("runbook", "none");
            rule.set("match", userPattern(i, random));
            rule.put("summary", "{ruleId} from {ip}");
        }
        ObjectNode file = JSON.createObjectNode();
        file.set("rules", list);
        try {
            return RuleFileLoader.load("bench-user-rules.json", new ByteArrayInputStream(JSON.writeValueAsBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode userPattern(int i, Random random) {
        int n = random.nextInt(250);
        String client = client(random.nextInt(20));
        String pattern = switch (i % 14) {
            case 0 -> "{\"type\":[\"user.sign_in_failed\"],\"ip\":[{\"prefix\":\"81.2." + n + ".\"}]}";
            case 1 -> "{\"originalType\":[\"s\",\"ssa\"],\"clientId\":[\"" + client + "\"]}";
            case 2 -> "{\"ip\":[{\"cidr\":\"10." + n + ".0.0/16\"}],\"outcome\":[\"FAILURE\"]}";
            case 3 ->
                "{\"type\":[\"credentials.exchanged\",\"credentials.refreshed\"],"
                        + "\"clientId\":[{\"anything-but\":[\"" + client + "\",\"" + client(n % 20) + "\"]}],"
                        + "\"ip\":[{\"prefix\":\"" + (100 + n % 100) + ".\"}]}";
            case 4 ->
                "{\"originalType\":[\"sapi\",\"fapi\"],\"raw\":{\"details\":{\"response\":"
                        + "{\"statusCode\":[{\"numeric\":[\">=\"," + (400 + n % 100) + "]}]}}}}";
            case 5 ->
                "{\"originalType\":[\"sapi\"],\"raw\":{\"details\":{\"request\":{"
                        + "\"method\":[{\"equals-ignore-case\":\"DELETE\"}],"
                        + "\"path\":[{\"wildcard\":\"*/v2/" + RESOURCES[n % RESOURCES.length] + "*\"}]}}}}";
            case 6 ->
                "{\"$or\":[{\"failureReason\":[{\"prefix\":\"Wrong email\"}],\"clientId\":[\"" + client
                        + "\"]},{\"raw\":{\"description\":[{\"suffix\":\"blocked\"}]}}],"
                        + "\"userId\":[{\"exists\":true}]}";
            case 7 ->
                "{\"type\":[\"user.signed_in\"],\"userAgent\":[{\"wildcard\":\"*" + agentToken(n)
                        + "*\"}],\"ip\":[{\"prefix\":\"" + (1 + n) + ".\"}]}";
            case 8 ->
                "{\"type\":[\"user.signed_in\"],\"raw\":{\"details\":{\"prompts\":{"
                        + "\"name\":[\"login\"],\"elapsedTime\":[{\"numeric\":[\">\"," + (5000 + n * 200) + "]}]}}}}";
            case 9 ->
                "{\"attributes\":{\"hostname\":[{\"suffix\":\"-" + n + ".eu.auth0.com\"}]},"
                        + "\"outcome\":[\"FAILURE\",\"SUCCESS\"]}";
            case 10 ->
                "{\"originalType\":[\"gd_auth_failed\",\"gd_auth_rejected\"],"
                        + "\"email\":[{\"anything-but\":{\"prefix\":\"admin" + n + "\"}}],"
                        + "\"clientId\":[\"" + client + "\"]}";
            case 11 ->
                "{\"type\":[\"mfa.failed\",\"mfa.push_rejected\",\"user.blocked\"],"
                        + "\"userId\":[{\"exists\":false}],\"ip\":[{\"cidr\":\"" + n + ".0.0.0/8\"}]}";
            case 12 ->
                "{\"originalType\":[\"ferrt\",\"fertft\"],\"raw\":{\"details\":{"
                        + "\"$or\":[{\"session_id\":[{\"exists\":true}]},{\"description\":[{\"prefix\":\"Unsuccessful\"}]}]}},"
                        + "\"connection\":[{\"anything-but\":\"conn-" + n + "\"}]}";
            default ->
                "{\"ip\":[{\"cidr\":\"2001:db8:" + Integer.toHexString(n) + "::/48\"}," + "{\"prefix\":\"203.0." + n
                        + ".\"}],\"type\":[{\"prefix\":\"user.sign\"}]}";
        };
        try {
            return JSON.readTree(pattern);
        } catch (IOException e) {
            throw new IllegalStateException(pattern, e);
        }
    }

    private static String agentToken(int n) {
        return List.of("Go-http-client", "python-requests", "okhttp", "Firefox/13", "Edg/13", "iPhone OS 17")
                .get(n % 6);
    }

    private static String client(int n) {
        return String.format(Locale.ROOT, "cl%02dAb3dE6fG9hJ2kL5mN8pQ1rS4tU7w", n);
    }

    /**
     * {@code count} Auth0 events of mixed types, in proportions like a tenant's traffic:
     * sign-ins 30%, failed logins 18%, token exchanges 15%, MFA 12%, sign-outs, sign-ups and
     * verifications 10%, Management API operations 10% (some of them the changes the built-in
     * pack alerts on), blocks, breached passwords and refresh-token reuse 5%. Users, addresses,
     * clients and agents vary; one event in eight comes wrapped by EventBridge.
     */
    static List<AuthEvent> events(int count) {
        Random random = new Random(42);
        ArrayNode logStream = JSON.createArrayNode();
        ArrayNode eventBridge = JSON.createArrayNode();
        for (int i = 0; i < count; i++) {
            ObjectNode record = record(i, random);
            if (i % 8 == 7) {
                ObjectNode envelope = sample("eventbridge/201_eb_s_thiscovery.json");
                envelope.put("id", "6b4bc671-0217-46ca-8ee0-" + String.format(Locale.ROOT, "%012d", i));
                envelope.set("detail", record);
                eventBridge.add(envelope);
            } else {
                logStream.add(record);
            }
        }
        List<AuthEvent> events = new ArrayList<>(count);
        try {
            for (BodyItem item : JsonBatchParser.parse(JSON.writeValueAsBytes(logStream))) {
                events.add(Auth0LogNormalizer.normalize(
                        item.json(), item.raw(), GatewayServer.SOURCE_LOG_STREAM, RECEIVED_AT));
            }
            for (BodyItem item : JsonBatchParser.parse(JSON.writeValueAsBytes(eventBridge))) {
                events.add(EventBridgeNormalizer.normalize(
                        item.json(), item.raw(), GatewayServer.SOURCE_EVENTBRIDGE, RECEIVED_AT));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Interleave the two routes again, deterministically.
        List<AuthEvent> mixed = new ArrayList<>(events);
        java.util.Collections.shuffle(mixed, new Random(7));
        return mixed;
    }

    private static ObjectNode record(int i, Random random) {
        int kind = random.nextInt(100);
        ObjectNode record;
        ObjectNode data;
        if (kind < 30) {
            record = sample("log-stream/001_s_universal-login-prompts.json");
            data = data(record);
            data.put("type", SIGN_IN_CODES[random.nextInt(SIGN_IN_CODES.length)]);
            ((ObjectNode) data.path("details").path("prompts").path(1))
                    .put("elapsedTime", 2000 + random.nextInt(40000));
        } else if (kind < 48) {
            record = sample(List.of(
                            "log-stream/007_fp_wrong-password.json",
                            "log-stream/006_fu_wrong-email-or-password.json",
                            "log-stream/004_f_callback-url-mismatch.json")
                    .get(random.nextInt(3)));
            data = data(record);
            data.put("type", FAILURE_CODES[random.nextInt(FAILURE_CODES.length)]);
        } else if (kind < 63) {
            record = sample("log-stream/012_seacft_code-exchange.json");
            data = data(record);
            String code = EXCHANGE_CODES[random.nextInt(EXCHANGE_CODES.length)];
            data.put("type", code);
            if (code.equals("sertft")) {
                data.put("description", "Successful exchange of Refresh Token for Access Token");
                data.putObject("details").put("session_id", "s" + random.nextInt(1_000_000));
            } else if (code.equals("seccft")) {
                data.put("description", "Client Credentials for Access Token");
                data.remove("user_id");
                data.remove("user_name");
                data.putObject("details").put("audience", "https://api.example.com/");
            }
        } else if (kind < 75) {
            record = sample("log-stream/001_s_universal-login-prompts.json");
            data = data(record);
            int m = random.nextInt(MFA_CODES.length);
            data.put("type", MFA_CODES[m]);
            data.put("description", MFA_DESCRIPTIONS[m]);
            ObjectNode details = data.putObject("details");
            details.putObject("authenticator")
                    .put(
                            "type",
                            List.of("otp", "push", "sms", "webauthn-roaming").get(m));
            details.put("session_id", "s" + random.nextInt(1_000_000));
        } else if (kind < 85) {
            record = sample(List.of(
                            "log-stream/008_slo_logout.json",
                            "log-stream/010_ss_signup.json",
                            "log-stream/017_sv_email-verified.json")
                    .get(random.nextInt(3)));
            data = data(record);
        } else if (kind < 95) {
            record = sapi(random);
            data = data(record);
        } else {
            record = sample(List.of(
                            "log-stream/022_limit_wc_brute-force-block.json",
                            "log-stream/023_pwd_leak_breached-password-ipv6.json",
                            "log-stream/036_ferrt_refresh-token-reuse_SYNTHETIC.json")
                    .get(random.nextInt(3)));
            data = data(record);
        }
        String logId = String.format(Locale.ROOT, "900202611231200%041d", i);
        record.put("log_id", logId);
        data.put("log_id", logId);
        data.put("date", RECEIVED_AT.minusMillis(random.nextInt(60_000)).toString());
        if (data.has("user_id")) {
            String user = "auth0|" + String.format(Locale.ROOT, "%024x", 0x618223a4L * 1000 + random.nextInt(2000));
            data.put("user_id", user);
            data.put("user_name", "user" + random.nextInt(2000) + "@example.com");
        }
        data.put("ip", address(random));
        if (data.has("client_id")) {
            data.put("client_id", client(random.nextInt(20)));
        }
        if (data.has("user_agent")) {
            data.put("user_agent", AGENTS[random.nextInt(AGENTS.length)]);
        }
        data.put("hostname", "tenant-" + random.nextInt(250) + (random.nextBoolean() ? ".eu" : ".us") + ".auth0.com");
        return record;
    }

    /** A Management API success: mostly reads and routine changes, 1 in 10 a change the built-in pack alerts on. */
    private static ObjectNode sapi(Random random) {
        ObjectNode record = sample("log-stream/014_sapi_create-log-stream.json");
        ObjectNode data = data(record);
        ObjectNode request = (ObjectNode) data.path("details").path("request");
        ObjectNode response = (ObjectNode) data.path("details").path("response");
        int pick = random.nextInt(20);
        if (pick < 2) {
            String feature = List.of(
                            "brute-force-protection", "breached-password-detection", "suspicious-ip-throttling")
                    .get(random.nextInt(3));
            data.put("description", "Update " + feature + " settings");
            request.put("method", "patch");
            request.put("path", "/api/v2/attack-protection/" + feature);
            request.putObject("body").put("enabled", random.nextBoolean());
            response.putObject("body")
                    .put("enabled", request.path("body").path("enabled").asBoolean());
        } else if (pick < 3) {
            data.put("description", "Create a role");
            request.put("method", "post");
            request.put("path", "/api/v2/roles");
            request.putObject("body").put("name", "role-" + random.nextInt(100));
        } else {
            String resource = RESOURCES[random.nextInt(RESOURCES.length)];
            String method = List.of("get", "get", "patch", "post", "delete").get(random.nextInt(5));
            data.put("description", "Management API " + method + " " + resource);
            request.put("method", method);
            request.put("path", "/api/v2/" + resource + (random.nextBoolean() ? "/id_" + random.nextInt(1000) : ""));
            response.put(
                    "statusCode",
                    List.of(200, 200, 200, 201, 204, 400, 404, 429).get(random.nextInt(8)));
        }
        return record;
    }

    private static String address(Random random) {
        int pick = random.nextInt(10);
        if (pick == 0) {
            return "2001:db8:" + Integer.toHexString(random.nextInt(256)) + "::"
                    + Integer.toHexString(random.nextInt(65536));
        }
        if (pick == 1) {
            return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
        }
        return (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                + random.nextInt(256);
    }

    private static ObjectNode sample(String path) {
        try {
            return (ObjectNode) JSON.readTree(Samples.bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode data(ObjectNode record) {
        return record.path("data").isObject() ? (ObjectNode) record.get("data") : record;
    }
}
