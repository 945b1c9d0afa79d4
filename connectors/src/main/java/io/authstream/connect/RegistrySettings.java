package io.authstream.connect;

import io.authstream.schemas.serde.AvroSerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;

/**
 * The Schema Registry settings of the connectors (Confluent's names), for the Avro values they
 * read or write in the Confluent wire format themselves (the worker's converter passes bytes).
 */
public final class RegistrySettings {

    private static final String GROUP = "Schema Registry";

    private RegistrySettings() {}

    public static ConfigDef define(ConfigDef def) {
        return def.define(
                        AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                        Type.LIST,
                        ConfigDef.NO_DEFAULT_VALUE,
                        Importance.HIGH,
                        "Schema Registry URL(s) of the Avro values (Confluent wire format).",
                        GROUP,
                        1,
                        ConfigDef.Width.LONG,
                        "Registry URL")
                .define(
                        AvroSerdeConfig.BASIC_AUTH_USER_INFO,
                        Type.PASSWORD,
                        null,
                        Importance.LOW,
                        "user:password for the Schema Registry; never logged.",
                        GROUP,
                        2,
                        ConfigDef.Width.MEDIUM,
                        "Registry credentials");
    }

    /** Settings for {@code AvroSerializer}/{@code AvroDeserializer}. */
    public static Map<String, Object> serdeConfig(AbstractConfig config) {
        Map<String, Object> serde = new HashMap<>();
        serde.put(
                AvroSerdeConfig.SCHEMA_REGISTRY_URL,
                String.join(",", config.getList(AvroSerdeConfig.SCHEMA_REGISTRY_URL)));
        Password userInfo = config.getPassword(AvroSerdeConfig.BASIC_AUTH_USER_INFO);
        if (userInfo != null) {
            serde.put(AvroSerdeConfig.BASIC_AUTH_USER_INFO, userInfo);
        }
        return serde;
    }
}
