package io.authstream.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * Subjects, versions, ids and compatibility settings, held in memory and written through to a
 * {@link KafkaSchemaLog}. Records use Confluent's {@code _schemas} key/value JSON, so the topic
 * can be read by Confluent's registry too.
 *
 * <p>One registry instance writes a given store topic: ids come from this instance's view of the
 * log (Confluent elects a leader for this; running several writers here is not supported).
 */
public final class SchemaStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One version of a subject. {@code schema} is Avro's canonical JSON of the registered schema. */
    public record SchemaVersion(String subject, int version, int id, String schema) {}

    private final KafkaSchemaLog log;
    private final Map<String, TreeMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
    private final Map<Integer, String> schemaById = new HashMap<>();
    private final Map<String, Integer> idBySchema = new HashMap<>();
    private final Map<String, Compatibility> subjectCompatibility = new HashMap<>();
    private Compatibility globalCompatibility;
    private int maxId;

    SchemaStore(KafkaSchemaLog log, Compatibility defaultCompatibility) {
        this.log = log;
        this.globalCompatibility = defaultCompatibility;
    }

    /** Loads the log; call once before serving. */
    synchronized void load() {
        log.ensureTopic();
        log.replay(this::apply);
    }

    /** Registers {@code schemaText} under {@code subject}, or finds it there; returns its id. */
    public synchronized int register(String subject, String schemaText) {
        String canonical = canonical(schemaText);
        Optional<SchemaVersion> existing = find(subject, canonical);
        if (existing.isPresent()) {
            return existing.get().id();
        }
        List<Schema> earlier =
                versions(subject).values().stream().map(v -> parse(v.schema())).toList();
        List<String> problems = compatibility(subject).check(parse(canonical), earlier);
        if (!problems.isEmpty()) {
            throw RegistryException.incompatible(subject, String.join(", ", problems));
        }
        int id = idBySchema.getOrDefault(canonical, maxId + 1);
        TreeMap<Integer, SchemaVersion> versions = versions(subject);
        int version = versions.isEmpty() ? 1 : versions.lastKey() + 1;
        ObjectNode key = JSON.createObjectNode()
                .put("keytype", "SCHEMA")
                .put("subject", subject)
                .put("version", version)
                .put("magic", 1);
        ObjectNode value = JSON.createObjectNode()
                .put("subject", subject)
                .put("version", version)
                .put("id", id)
                .put("schema", canonical)
                .put("deleted", false);
        write(key, value);
        return id;
    }

    /** The version of {@code subject} holding this schema, without registering anything. */
    public synchronized SchemaVersion lookUp(String subject, String schemaText) {
        String canonical = canonical(schemaText);
        if (!subjects.containsKey(subject)) {
            throw RegistryException.subjectNotFound(subject);
        }
        return find(subject, canonical)
                .orElseThrow(() -> RegistryException.schemaNotFound("under subject '" + subject + "'"));
    }

    /** Whether {@code schemaText} could be registered next under {@code subject}; problems when not. */
    public synchronized List<String> checkAgainstLatest(String subject, String schemaText) {
        Schema candidate = parse(canonical(schemaText));
        TreeMap<Integer, SchemaVersion> versions = versions(subject);
        if (versions.isEmpty()) {
            return List.of();
        }
        // The explicit endpoint compares with the latest version, whatever the level's transitivity.
        return compatibility(subject)
                .check(candidate, List.of(parse(versions.lastEntry().getValue().schema())));
    }

    public synchronized Optional<String> schemaById(int id) {
        return Optional.ofNullable(schemaById.get(id));
    }

    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }

    public synchronized List<Integer> versionNumbers(String subject) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        if (versions == null) {
            throw RegistryException.subjectNotFound(subject);
        }
        return List.copyOf(versions.keySet());
    }

    /** {@code version} is a positive number or {@code latest}. */
    public synchronized SchemaVersion version(String subject, String version) {
        TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
        if (versions == null) {
            throw RegistryException.subjectNotFound(subject);
        }
        if ("latest".equals(version) || "-1".equals(version)) {
            return versions.lastEntry().getValue();
        }
        int number;
        try {
            number = Integer.parseInt(version);
        } catch (NumberFormatException e) {
            throw RegistryException.invalidVersion(version);
        }
        if (number < 1) {
            throw RegistryException.invalidVersion(version);
        }
        SchemaVersion found = versions.get(number);
        if (found == null) {
            throw RegistryException.versionNotFound(subject, version);
        }
        return found;
    }

    public synchronized Compatibility globalCompatibility() {
        return globalCompatibility;
    }

    public synchronized Optional<Compatibility> subjectCompatibility(String subject) {
        return Optional.ofNullable(subjectCompatibility.get(subject));
    }

    /** Sets the level of one subject, or the global default when {@code subject} is null. */
    public synchronized void setCompatibility(String subject, Compatibility level) {
        ObjectNode key = JSON.createObjectNode().put("keytype", "CONFIG");
        if (subject == null) {
            key.putNull("subject");
        } else {
            key.put("subject", subject);
        }
        key.put("magic", 0);
        write(key, JSON.createObjectNode().put("compatibilityLevel", level.name()));
    }

    private Compatibility compatibility(String subject) {
        return subjectCompatibility.getOrDefault(subject, globalCompatibility);
    }

    private Optional<SchemaVersion> find(String subject, String canonical) {
        return versions(subject).values().stream()
                .filter(v -> v.schema().equals(canonical))
                .findFirst();
    }

    private TreeMap<Integer, SchemaVersion> versions(String subject) {
        return subjects.getOrDefault(subject, new TreeMap<>());
    }

    private void write(ObjectNode key, ObjectNode value) {
        String keyText = key.toString();
        String valueText = value.toString();
        log.append(keyText, valueText);
        apply(keyText, valueText);
    }

    /** Applies one log record; unknown key types (NOOP, DELETE_SUBJECT, ...) are skipped. */
    private void apply(String keyText, String valueText) {
        JsonNode key = readJson(keyText);
        JsonNode value = valueText == null ? null : readJson(valueText);
        switch (key.path("keytype").asText()) {
            case "SCHEMA" -> applySchema(key, value);
            case "CONFIG" -> applyConfig(key, value);
            default -> {}
        }
    }

    private void applySchema(JsonNode key, JsonNode value) {
        String subject = key.path("subject").asText();
        int version = key.path("version").asInt();
        if (value == null || value.path("deleted").asBoolean(false)) {
            TreeMap<Integer, SchemaVersion> versions = subjects.get(subject);
            if (versions != null) {
                versions.remove(version);
                if (versions.isEmpty()) {
                    subjects.remove(subject);
                }
            }
            return;
        }
        int id = value.path("id").asInt();
        String schema = value.path("schema").asText();
        subjects.computeIfAbsent(subject, s -> new TreeMap<>())
                .put(version, new SchemaVersion(subject, version, id, schema));
        schemaById.put(id, schema);
        idBySchema.putIfAbsent(schema, id);
        maxId = Math.max(maxId, id);
    }

    private void applyConfig(JsonNode key, JsonNode value) {
        JsonNode subject = key.path("subject");
        Compatibility level = value == null
                ? null
                : Compatibility.parse(value.path("compatibilityLevel").asText());
        if (subject.isMissingNode() || subject.isNull()) {
            if (level != null) {
                globalCompatibility = level;
            }
        } else if (level == null) {
            subjectCompatibility.remove(subject.asText());
        } else {
            subjectCompatibility.put(subject.asText(), level);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalStateException("schema store record is not JSON: " + e.getMessage(), e);
        }
    }

    /** Avro's canonical JSON of a schema: same schema, same text, whatever the input's layout. */
    static String canonical(String schemaText) {
        return parse(schemaText).toString();
    }

    private static Schema parse(String schemaText) {
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryException.invalidSchema("the request has no schema");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (RuntimeException e) {
            throw RegistryException.invalidSchema(e.getMessage());
        }
    }
}
