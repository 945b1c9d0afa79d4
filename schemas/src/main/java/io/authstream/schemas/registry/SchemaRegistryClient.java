package io.authstream.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Client for the subset of the Confluent Schema Registry REST API that Avro serdes need.
 *
 * <p>Registrations and look-ups by id are cached for the life of the client: a schema id never
 * changes meaning, and a (subject, schema) pair keeps its id. The latest version of a subject is
 * cached too, as Confluent's client does by default, because serializers ask for it per record.
 * One client is shared by all serdes created from one config (see {@code AvroSerdeConfig}).
 */
public class SchemaRegistryClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<URI> baseUrls;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final Duration requestTimeout;

    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();

    /**
     * @param baseUrls one or more registry URLs; they are tried in order until one answers
     * @param basicAuthUserInfo {@code user:password}, or null for no authentication
     */
    public SchemaRegistryClient(List<String> baseUrls, String basicAuthUserInfo, Duration requestTimeout) {
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one Schema Registry URL is needed");
        }
        this.baseUrls =
                baseUrls.stream().map(SchemaRegistryClient::parseBaseUrl).toList();
        this.authorization = Optional.ofNullable(basicAuthUserInfo)
                .filter(s -> !s.isEmpty())
                .map(s -> "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
    }

    /** A schema as stored under a subject. */
    public record RegisteredSchema(String subject, int version, int id, Schema schema) {}

    /** Registers {@code schema} under {@code subject} (or finds it there) and returns its global id. */
    public int register(String subject, Schema schema) {
        return idFor(subject, schema, "/versions");
    }

    /** Returns the id of {@code schema} if it is already registered under {@code subject}; never registers. */
    public int lookUp(String subject, Schema schema) {
        return idFor(subject, schema, "");
    }

    /**
     * The cached id of (subject, schema), else the one the registry answers when the schema is
     * posted to the subject's path plus {@code suffix}. The path is built only on a miss: this runs
     * for every record serialized.
     */
    private int idFor(String subject, Schema schema, String suffix) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send(
                "POST",
                "/subjects/" + encode(subject) + suffix,
                JSON.createObjectNode().put("schema", schema.toString()));
        int id = answer.path("id").asInt();
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The schema with this global id. */
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode answer = send("GET", "/schemas/ids/" + id, null);
        Schema schema = parse(answer.path("schema").asText(), "schema id " + id);
        schemasById.put(id, schema);
        return schema;
    }

    /** The latest version registered under {@code subject}. */
    public RegisteredSchema latest(String subject) {
        RegisteredSchema cached = latestBySubject.get(subject);
        if (cached != null) {
            return cached;
        }
        RegisteredSchema latest = version(subject, "latest");
        latestBySubject.put(subject, latest);
        return latest;
    }

    /** One version ({@code "latest"} or a number) of a subject, never cached. */
    public RegisteredSchema version(String subject, String version) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null);
        Schema schema = parse(answer.path("schema").asText(), "subject " + subject);
        int id = answer.path("id").asInt();
        schemasById.putIfAbsent(id, schema);
        return new RegisteredSchema(
                answer.path("subject").asText(subject), answer.path("version").asInt(), id, schema);
    }

    /** All subjects with at least one live version. */
    public List<String> subjects() {
        JsonNode answer = send("GET", "/subjects", null);
        List<String> subjects = new ArrayList<>();
        answer.forEach(n -> subjects.add(n.asText()));
        return subjects;
    }

    /** Whether {@code schema} may be registered as the next version of {@code subject}. */
    public boolean isCompatibleWithLatest(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", body);
        return answer.path("is_compatible").asBoolean(false);
    }

    /** Sets the compatibility level of one subject, or the global default when subject is null. */
    public void setCompatibility(String subject, String level) {
        String path = subject == null ? "/config" : "/config/" + encode(subject);
        send("PUT", path, JSON.createObjectNode().put("compatibility", level));
    }

    private JsonNode send(String method, String path, JsonNode body) {
        SchemaRegistryException lastUnreachable = null;
        for (URI base : baseUrls) {
            HttpRequest request = request(base, method, path, body);
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                lastUnreachable = new SchemaRegistryException(
                        "Schema Registry at " + base + " is unreachable (" + method + " " + path + "): " + describe(e),
                        e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling the Schema Registry at " + base, e);
            }
            return readAnswer(base, method, path, response);
        }
        throw Objects.requireNonNull(lastUnreachable);
    }

    private HttpRequest request(URI base, String method, String path, JsonNode body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(base.getPath() + path.substring(1)))
                .timeout(requestTimeout)
                .header("Accept", CONTENT_TYPE);
        authorization.ifPresent(value -> builder.header("Authorization", value));
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    private static JsonNode readAnswer(URI base, String method, String path, HttpResponse<String> response) {
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (response.statusCode() / 100 == 2 && json != null) {
            return json;
        }
        int errorCode = json == null ? -1 : json.path("error_code").asInt(-1);
        String message = json == null ? "" : json.path("message").asText("");
        if (message.isEmpty()) {
            message = "HTTP " + response.statusCode();
        }
        throw new SchemaRegistryException(
                "Schema Registry at " + base + " refused " + method + " " + path + ": " + message
                        + (errorCode > 0 ? " (error code " + errorCode + ")" : ""),
                response.statusCode(),
                errorCode);
    }

    private static Schema parse(String schemaJson, String what) {
        try {
            return new Schema.Parser().parse(schemaJson);
        } catch (RuntimeException e) {
            throw new SchemaRegistryException(
                    "the registry returned an invalid Avro schema for " + what + ": " + e.getMessage(), e);
        }
    }

    private static URI parseBaseUrl(String url) {
        String trimmed = url.trim();
        URI uri = URI.create(trimmed.endsWith("/") ? trimmed : trimmed + "/");
        if (uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("Schema Registry URL must be http:// or https://, got: " + url);
        }
        // user:password@ in the URL would leak into logs and error messages; it goes in basic.auth.user.info.
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException(
                    "put Schema Registry credentials in basic.auth.user.info, not in the URL");
        }
        return uri;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
