package io.authstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP front of the {@link SchemaStore}: the Confluent Schema Registry REST API subset that Avro
 * serializers and deserializers (Confluent's Java and JavaScript clients, this project's serde)
 * call, with Confluent's status codes and {@code error_code}s.
 */
public final class SchemaRegistryServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final KafkaSchemaLog log;
    private final SchemaStore store;
    private final Optional<byte[]> expectedAuthorizationDigest;
    private Javalin app;

    public SchemaRegistryServer(RegistryConfig config) {
        this.config = config;
        this.log = new KafkaSchemaLog(config.storeTopic(), config.storeClientConfig(), config.storeTimeout());
        this.store = new SchemaStore(log, config.defaultCompatibility());
        this.expectedAuthorizationDigest = config.basicAuthUserInfo()
                .map(info ->
                        sha256("Basic " + Base64.getEncoder().encodeToString(info.getBytes(StandardCharsets.UTF_8))));
    }

    /** Reads the store topic, then listens. Returns once requests are served. */
    public SchemaRegistryServer start() {
        store.load();
        app = Javalin.create(cfg -> {
                    cfg.startup.showJavalinBanner = false;
                    cfg.routes.before(this::authenticate);
                    cfg.routes.get("/", ctx -> answer(ctx, JSON.createObjectNode()));
                    cfg.routes.get(
                            "/schemas/types",
                            ctx -> answer(ctx, JSON.createArrayNode().add("AVRO")));
                    cfg.routes.get("/schemas/ids/{id}", this::schemaById);
                    cfg.routes.get("/subjects", ctx -> answer(ctx, array(store.subjects())));
                    cfg.routes.post("/subjects/{subject}", this::lookUp);
                    cfg.routes.get(
                            "/subjects/{subject}/versions",
                            ctx -> answer(ctx, array(store.versionNumbers(ctx.pathParam("subject")))));
                    cfg.routes.post("/subjects/{subject}/versions", this::register);
                    cfg.routes.get("/subjects/{subject}/versions/{version}", this::version);
                    cfg.routes.get("/subjects/{subject}/versions/{version}/schema", ctx -> {
                        ctx.contentType(CONTENT_TYPE)
                                .result(store.version(ctx.pathParam("subject"), ctx.pathParam("version"))
                                        .schema());
                    });
                    cfg.routes.post("/compatibility/subjects/{subject}/versions/latest", this::checkCompatibility);
                    cfg.routes.get(
                            "/config", ctx -> answer(ctx, level("compatibilityLevel", store.globalCompatibility())));
                    cfg.routes.put("/config", ctx -> setLevel(ctx, null));
                    cfg.routes.get("/config/{subject}", this::subjectLevel);
                    cfg.routes.put("/config/{subject}", ctx -> setLevel(ctx, ctx.pathParam("subject")));
                    cfg.routes.exception(
                            RegistryException.class, (e, ctx) -> error(ctx, e.status(), e.errorCode(), e.getMessage()));
                    cfg.routes.exception(Exception.class, (e, ctx) -> {
                        LOG.error("unexpected error serving {} {}", ctx.method(), ctx.path(), e);
                        error(ctx, 500, 50001, "Internal error: " + e.getClass().getSimpleName());
                    });
                    cfg.routes.error(404, ctx -> {
                        if (ctx.result() == null) {
                            error(
                                    ctx,
                                    404,
                                    404,
                                    "HTTP 404 Not Found: no such endpoint " + ctx.method() + " " + ctx.path());
                        }
                    });
                })
                .start(config.host(), config.port());
        LOG.info("schema registry listening on {}", url());
        return this;
    }

    /** Base URL clients use, e.g. {@code http://127.0.0.1:8081}. */
    public String url() {
        return "http://" + config.host() + ":" + app.port();
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        log.close();
    }

    private void authenticate(Context ctx) {
        if (expectedAuthorizationDigest.isEmpty()) {
            return;
        }
        String given = Optional.ofNullable(ctx.header("Authorization")).orElse("");
        // Digests have one length whatever the input, so the comparison time says nothing about it.
        if (!MessageDigest.isEqual(expectedAuthorizationDigest.get(), sha256(given))) {
            ctx.header("WWW-Authenticate", "Basic realm=\"schema-registry\"");
            throw RegistryException.unauthorized();
        }
    }

    private void schemaById(Context ctx) {
        int id = parseId(ctx.pathParam("id"));
        String schema = store.schemaById(id).orElseThrow(() -> RegistryException.schemaNotFound("id " + id));
        answer(ctx, JSON.createObjectNode().put("schema", schema));
    }

    private void register(Context ctx) {
        String subject = ctx.pathParam("subject");
        int id = store.register(subject, schemaText(ctx));
        answer(ctx, JSON.createObjectNode().put("id", id));
    }

    private void lookUp(Context ctx) {
        String subject = ctx.pathParam("subject");
        answer(ctx, describe(store.lookUp(subject, schemaText(ctx))));
    }

    private void version(Context ctx) {
        answer(ctx, describe(store.version(ctx.pathParam("subject"), ctx.pathParam("version"))));
    }

    private void checkCompatibility(Context ctx) {
        List<String> problems = store.checkAgainstLatest(ctx.pathParam("subject"), schemaText(ctx));
        ObjectNode body = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        if ("true".equalsIgnoreCase(ctx.queryParam("verbose"))) {
            body.set("messages", array(problems));
        }
        answer(ctx, body);
    }

    private void subjectLevel(Context ctx) {
        String subject = ctx.pathParam("subject");
        Optional<Compatibility> level = store.subjectCompatibility(subject);
        if (level.isEmpty() && !"true".equalsIgnoreCase(ctx.queryParam("defaultToGlobal"))) {
            throw RegistryException.subjectConfigNotFound(subject);
        }
        answer(ctx, level("compatibilityLevel", level.orElse(store.globalCompatibility())));
    }

    private void setLevel(Context ctx, String subject) {
        JsonNode body = body(ctx);
        Compatibility level = Compatibility.parse(body.path("compatibility").asText(null));
        store.setCompatibility(subject, level);
        answer(ctx, level("compatibility", level));
    }

    private static String schemaText(Context ctx) {
        JsonNode body = body(ctx);
        String type = body.path("schemaType").asText("AVRO");
        if (!"AVRO".equalsIgnoreCase(type)) {
            throw RegistryException.invalidSchema(
                    "schemaType " + type + " is not supported by this registry, only AVRO");
        }
        JsonNode references = body.path("references");
        if (references.isArray() && !references.isEmpty()) {
            throw RegistryException.invalidSchema("schema references are not supported by this registry");
        }
        JsonNode schema = body.get("schema");
        if (schema == null || !schema.isTextual()) {
            throw RegistryException.invalidSchema(
                    "the body needs a \"schema\" field holding the schema as a JSON string");
        }
        return schema.asText();
    }

    private static JsonNode body(Context ctx) {
        try {
            JsonNode body = JSON.readTree(ctx.bodyAsBytes());
            if (body == null || !body.isObject()) {
                throw RegistryException.badRequest("the request body must be a JSON object");
            }
            return body;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw RegistryException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw RegistryException.badRequest("the request body could not be read: " + e.getMessage());
        }
    }

    private static int parseId(String id) {
        try {
            return Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw RegistryException.schemaNotFound("id " + id);
        }
    }

    private static ObjectNode describe(SchemaStore.SchemaVersion version) {
        return JSON.createObjectNode()
                .put("subject", version.subject())
                .put("version", version.version())
                .put("id", version.id())
                .put("schema", version.schema());
    }

    private static ObjectNode level(String field, Compatibility level) {
        return JSON.createObjectNode().put(field, level.name());
    }

    private static ArrayNode array(List<?> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(v -> array.addPOJO(v));
        return array;
    }

    private static void answer(Context ctx, JsonNode body) {
        ctx.contentType(CONTENT_TYPE).result(body.toString());
    }

    private static void error(Context ctx, int status, int errorCode, String message) {
        ctx.status(status)
                .contentType(CONTENT_TYPE)
                .result(JSON.createObjectNode()
                        .put("error_code", errorCode)
                        .put("message", message)
                        .toString());
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
