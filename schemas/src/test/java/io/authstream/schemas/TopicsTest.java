package io.authstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void topicNamesAreTheDocumentedContract() {
        assertThat(Topics.ALL)
                .extracting(Topic::name)
                .containsExactly(
                        "auth.events.raw",
                        "auth.events.deadletter",
                        "auth.deadletter.redriven",
                        "auth.events.ordered",
                        "auth.profiles",
                        "auth.analytics",
                        "auth.security.alerts",
                        "auth.notifications",
                        "auth.notifications.sent",
                        "employee.provisioning.requests",
                        "employee.provisioning.results",
                        "auth.rules");
    }

    @Test
    void stateTopicsAreCompactedAndEventTopicsRetained() {
        assertThat(Topics.AUTH_PROFILES.topicConfigs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                .doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
        assertThat(Topics.AUTH_ANALYTICS.topicConfigs()).containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact");
        // What was mailed must outlive every replay of auth.notifications: compacted, never deleted by age.
        assertThat(Topics.AUTH_NOTIFICATIONS_SENT.topicConfigs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                .doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
        // What was re-sent must outlive the dead letters it names: a redrive never sends one twice.
        assertThat(Topics.AUTH_DEADLETTER_REDRIVEN.topicConfigs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "compact")
                .doesNotContainKey(TopicConfig.RETENTION_MS_CONFIG);
        assertThat(Topics.AUTH_EVENTS_RAW.topicConfigs())
                .containsEntry(TopicConfig.CLEANUP_POLICY_CONFIG, "delete")
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(7L * 24 * 3600 * 1000));
        assertThat(Topics.AUTH_EVENTS_DEADLETTER.topicConfigs())
                .containsEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(30L * 24 * 3600 * 1000));
    }

    @Test
    void everyTimeRetainedTopicCountsRetentionFromWhenARecordWasWritten() {
        // Found when alerts about February events vanished from a November test run, then when a
        // backfill of 2021 logs vanished from auth.events.ordered: the broker's retention check
        // deletes records whose timestamp is older than retention.ms, and these were event times.
        for (Topic<?, ?> topic : Topics.ALL) {
            if (topic.compacted()) {
                assertThat(topic.topicConfigs())
                        .as(topic.name())
                        .doesNotContainKey(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG);
            } else {
                assertThat(topic.topicConfigs())
                        .as(topic.name())
                        .containsEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
            }
        }
        assertThat(Topics.ALL)
                .filteredOn(t -> !t.compacted())
                .extracting(Topic::name)
                .contains(
                        "auth.events.raw",
                        "auth.events.ordered",
                        "auth.events.deadletter",
                        "auth.security.alerts",
                        "auth.notifications");
    }

    @Test
    void theDeadLetterTopicTakesRecordsAsLargeAsAWholeRequestBody() {
        assertThat(Topics.AUTH_EVENTS_DEADLETTER.topicConfigs())
                .containsEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "8388608");
        assertThat(Topics.AUTH_EVENTS_RAW.topicConfigs()).doesNotContainKey(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    }

    @Test
    void everySchemaAndFieldIsDocumentedAndNewFieldsCanDefault() throws IOException {
        List<Path> files;
        try (Stream<Path> paths = Files.list(Path.of("src/main/avro"))) {
            files = paths.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
        }
        assertThat(files)
                .extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder(
                        "AuthEvent.avsc",
                        "UserProfile.avsc",
                        "SecurityAlert.avsc",
                        "AnalyticsRollup.avsc",
                        "Notification.avsc",
                        "ProvisioningRequest.avsc",
                        "ProvisioningResult.avsc");
        for (Path file : files) {
            Schema schema = new Schema.Parser().parse(file.toFile());
            assertDocumented(schema, new HashSet<>());
        }
    }

    private static void assertDocumented(Schema schema, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                assertThat(schema.getDoc())
                        .as("doc of %s", schema.getFullName())
                        .isNotBlank();
                for (Schema.Field field : schema.getFields()) {
                    assertThat(field.doc())
                            .as("doc of %s.%s", schema.getFullName(), field.name())
                            .isNotBlank();
                    assertDocumented(field.schema(), seen);
                }
            }
            case UNION -> schema.getTypes().forEach(t -> assertDocumented(t, seen));
            case ARRAY -> assertDocumented(schema.getElementType(), seen);
            case MAP -> assertDocumented(schema.getValueType(), seen);
            case ENUM ->
                assertThat(schema.getDoc())
                        .as("doc of %s", schema.getFullName())
                        .isNotBlank();
            default -> {}
        }
    }
}
