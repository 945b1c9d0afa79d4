package io.authstream.rulescli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each rule of a rule file as the YAML text of that rule alone: the value published on
 * auth.rules (the Streams app validates it again with the same loader).
 */
final class RuleTexts {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build();

    private RuleTexts() {}

    /** Rule id → the rule's YAML text, in file order; call after the file has loaded without problems. */
    static Map<String, String> of(Path file) {
        Map<String, String> texts = new LinkedHashMap<>();
        try {
            for (JsonNode rule : YAML.readTree(file.toFile()).get("rules")) {
                texts.put(rule.get("id").asText(), YAML.writeValueAsString(rule));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return texts;
    }
}
