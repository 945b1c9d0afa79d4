package io.authstream.teststack;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.registry.RegistryConfig;
import io.authstream.registry.SchemaRegistryServer;
import io.authstream.testrecords.TestSecrets;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The registry's REST API on a real broker, answer by answer as Confluent's clients read them. */
@ExtendWith(StackExtension.class)
class SchemaRegistryIT {

    private final TestStack stack;
    private String storeTopic;
    private SchemaRegistryServer server;
    private RegistryHttp http;

    SchemaRegistryIT(TestStack stack) {
        this.stack = stack;
    }

    @BeforeEach
    void startOwnRegistry() {
        // Each test gets a registry on its own store topic, so ids start at 1 and restarts are ours to make.
        storeTopic = TestStack.uniqueTopic("_schemas-it");
        server = startRegistry();
    }

    @AfterEach
    void stopRegistry() {
        server.close();
    }

    private SchemaRegistryServer startRegistry() {
        SchemaRegistryServer started = new SchemaRegistryServer(
                        RegistryConfig.of("127.0.0.1", 0, stack.bootstrapServers())
                                .withStoreTopic(storeTopic))
                .start();
        http = new RegistryHttp(started.url());
        return started;
    }

    static Schema userV1() {
        return SchemaBuilder.record("User")
                .namespace("it")
                .fields()
                .requiredString("id")
                .endRecord();
    }

    static Schema userV2WithDefault() {
        return SchemaBuilder.record("User")
                .namespace("it")
                .fields()
                .requiredString("id")
                .name("email")
                .type()
                .nullable()
                .stringType()
                .stringDefault(null)
                .endRecord();
    }

    static Schema userV2WithoutDefault() {
        return SchemaBuilder.record("User")
                .namespace("it")
                .fields()
                .requiredString("id")
                .requiredString("email")
                .endRecord();
    }

    private RegistryHttp.Answer register(String subject, Schema schema) {
        return http.post("/subjects/" + subject + "/versions", Map.of("schema", schema.toString()));
    }

    @Test
    void registersLooksUpAndListsVersions() {
        RegistryHttp.Answer first = register("users-value", userV1());
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("id").asInt()).isEqualTo(1);

        // Same schema, other layout: same id, no new version.
        String pretty = SchemaFormatter.format("json/pretty", userV1());
        RegistryHttp.Answer again = http.post("/subjects/users-value/versions", Map.of("schema", pretty));
        assertThat(again.body().path("id").asInt()).isEqualTo(1);

        // Same schema under another subject: same global id, version 1 there.
        assertThat(register("other-value", userV1()).body().path("id").asInt()).isEqualTo(1);

        RegistryHttp.Answer second = register("users-value", userV2WithDefault());
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.body().path("id").asInt()).isEqualTo(2);

        assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"other-value\",\"users-value\"]");
        assertThat(http.get("/subjects/users-value/versions").body().toString()).isEqualTo("[1,2]");

        RegistryHttp.Answer latest = http.get("/subjects/users-value/versions/latest");
        assertThat(latest.body().path("subject").asText()).isEqualTo("users-value");
        assertThat(latest.body().path("version").asInt()).isEqualTo(2);
        assertThat(latest.body().path("id").asInt()).isEqualTo(2);
        assertThat(new Schema.Parser().parse(latest.body().path("schema").asText()))
                .isEqualTo(userV2WithDefault());
        assertThat(http.get("/subjects/users-value/versions/1")
                        .body()
                        .path("id")
                        .asInt())
                .isEqualTo(1);

        RegistryHttp.Answer byId = http.get("/schemas/ids/2");
        assertThat(new Schema.Parser().parse(byId.body().path("schema").asText()))
                .isEqualTo(userV2WithDefault());

        RegistryHttp.Answer lookUp = http.post("/subjects/users-value", Map.of("schema", userV1().toString()));
        assertThat(lookUp.body().path("version").asInt()).isEqualTo(1);
        assertThat(lookUp.body().path("id").asInt()).isEqualTo(1);
    }

    @Test
    void incompatibleSchemaIsRefusedWith409() {
        register("users-value", userV1());

        RegistryHttp.Answer check = http.post(
                "/compatibility/subjects/users-value/versions/latest?verbose=true",
                Map.of("schema", userV2WithoutDefault().toString()));
        assertThat(check.status()).isEqualTo(200);
        assertThat(check.body().path("is_compatible").asBoolean()).isFalse();
        assertThat(check.body().path("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE", "email");

        RegistryHttp.Answer refused = register("users-value", userV2WithoutDefault());
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().path("error_code").asInt()).isEqualTo(409);
        assertThat(refused.body().path("message").asText()).contains("incompatible", "email");
        assertThat(http.get("/subjects/users-value/versions").body().toString()).isEqualTo("[1]");

        assertThat(http.post(
                                "/compatibility/subjects/users-value/versions/latest",
                                Map.of("schema", userV2WithDefault().toString()))
                        .body()
                        .path("is_compatible")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void compatibilityLevelsAreConfigurableGloballyAndPerSubject() {
        assertThat(http.get("/config").body().path("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        assertThat(http.get("/config/users-value").body().path("error_code").asInt())
                .isEqualTo(40408);
        assertThat(http.get("/config/users-value?defaultToGlobal=true")
                        .body()
                        .path("compatibilityLevel")
                        .asText())
                .isEqualTo("BACKWARD");

        assertThat(http.put("/config/users-value", Map.of("compatibility", "NONE"))
                        .body()
                        .path("compatibility")
                        .asText())
                .isEqualTo("NONE");
        register("users-value", userV1());
        assertThat(register("users-value", userV2WithoutDefault()).status()).isEqualTo(200);

        RegistryHttp.Answer bad = http.put("/config", Map.of("compatibility", "SIDEWAYS"));
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body().path("error_code").asInt()).isEqualTo(42203);
    }

    @Test
    void errorsCarryConfluentCodes() {
        RegistryHttp.Answer noSubject = http.get("/subjects/nope-value/versions");
        assertThat(noSubject.status()).isEqualTo(404);
        assertThat(noSubject.body().path("error_code").asInt()).isEqualTo(40401);

        register("users-value", userV1());
        RegistryHttp.Answer noVersion = http.get("/subjects/users-value/versions/7");
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(noVersion.body().path("error_code").asInt()).isEqualTo(40402);

        RegistryHttp.Answer noSchema = http.get("/schemas/ids/999");
        assertThat(noSchema.status()).isEqualTo(404);
        assertThat(noSchema.body().path("error_code").asInt()).isEqualTo(40403);

        RegistryHttp.Answer invalid = http.post(
                "/subjects/users-value/versions",
                Map.of(
                        "schema",
                        "{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\",\"type\":\"nosuchtype\"}]}"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.body().path("error_code").asInt()).isEqualTo(42201);
        assertThat(invalid.body().path("message").asText()).contains("nosuchtype");

        RegistryHttp.Answer protobuf = http.post(
                "/subjects/users-value/versions", Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF"));
        assertThat(protobuf.body().path("error_code").asInt()).isEqualTo(42201);

        RegistryHttp.Answer notJson = http.postRaw("/subjects/users-value/versions", "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.body().path("message").asText()).contains("not valid JSON");

        RegistryHttp.Answer badVersion = http.get("/subjects/users-value/versions/zero");
        assertThat(badVersion.body().path("error_code").asInt()).isEqualTo(42202);
    }

    @Test
    void idsAndSettingsSurviveARestart() {
        int v1 = register("users-value", userV1()).body().path("id").asInt();
        int v2 = register("users-value", userV2WithDefault()).body().path("id").asInt();
        int other = register(
                        "orders-value",
                        SchemaBuilder.record("Order").fields().requiredLong("n").endRecord())
                .body()
                .path("id")
                .asInt();
        http.put("/config/orders-value", Map.of("compatibility", "FULL"));

        server.close();
        server = startRegistry();

        assertThat(new Schema.Parser()
                        .parse(http.get("/schemas/ids/" + v1)
                                .body()
                                .path("schema")
                                .asText()))
                .isEqualTo(userV1());
        assertThat(new Schema.Parser()
                        .parse(http.get("/schemas/ids/" + v2)
                                .body()
                                .path("schema")
                                .asText()))
                .isEqualTo(userV2WithDefault());
        assertThat(http.get("/subjects/users-value/versions").body().toString()).isEqualTo("[1,2]");
        assertThat(http.get("/config/orders-value")
                        .body()
                        .path("compatibilityLevel")
                        .asText())
                .isEqualTo("FULL");
        // Re-registering finds the old id; a new schema gets a fresh id, never a reused one.
        assertThat(register("users-value", userV1()).body().path("id").asInt()).isEqualTo(v1);
        int fresh = register(
                        "fresh-value",
                        SchemaBuilder.record("Fresh").fields().requiredInt("x").endRecord())
                .body()
                .path("id")
                .asInt();
        assertThat(fresh).isGreaterThan(Math.max(v2, other));
    }

    @Test
    void basicAuthIsEnforcedWhenConfigured() {
        server.close();
        TestSecrets.registerCredential("registry-user:registry-pass");
        server = new SchemaRegistryServer(RegistryConfig.of("127.0.0.1", 0, stack.bootstrapServers())
                        .withStoreTopic(storeTopic)
                        .withBasicAuth("registry-user:registry-pass"))
                .start();
        http = new RegistryHttp(server.url());
        RegistryHttp.Answer anonymous = http.get("/subjects");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body().path("message").asText()).doesNotContain("registry-pass");
    }
}
