package io.authstream.embedded;

import io.authstream.schemas.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Creates the catalogue topics that do not exist yet, and gives those that do the catalogue's
 * configs (a data directory from an older version keeps, say, event-time retention on
 * {@code auth.events.ordered} otherwise, which deletes backfills). Partitions are left as they are.
 */
public final class TopicCreator {

    private TopicCreator() {}

    /** @return the names of the topics this call created */
    public static List<String> createMissing(
            Admin admin, Collection<Topic<?, ?>> topics, int partitions, short replicationFactor) {
        return createMissingAndAlign(admin, topics, partitions, replicationFactor)
                .created();
    }

    /** What {@link #createMissingAndAlign} did: topics created, and configs changed on existing ones ({@code topic: name=value}). */
    public record Result(List<String> created, List<String> aligned) {}

    public static Result createMissingAndAlign(
            Admin admin, Collection<Topic<?, ?>> topics, int partitions, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = topics.stream()
                    .filter(t -> !existing.contains(t.name()))
                    .map(t -> t.newTopic(partitions, replicationFactor))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            List<String> aligned = align(
                    admin,
                    topics.stream().filter(t -> existing.contains(t.name())).toList());
            return new Result(missing.stream().map(NewTopic::name).toList(), aligned);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "cannot create topics: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer within 30 s while creating topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    private static List<String> align(Admin admin, List<Topic<?, ?>> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return List.of();
        }
        Map<ConfigResource, Topic<?, ?>> resources = new HashMap<>();
        topics.forEach(t -> resources.put(new ConfigResource(ConfigResource.Type.TOPIC, t.name()), t));
        Map<ConfigResource, Config> current =
                admin.describeConfigs(resources.keySet()).all().get(30, TimeUnit.SECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        List<String> described = new ArrayList<>();
        resources.forEach((resource, topic) -> topic.topicConfigs().forEach((name, value) -> {
            ConfigEntry entry = current.get(resource).get(name);
            if (entry == null || !value.equals(entry.value())) {
                changes.computeIfAbsent(resource, r -> new ArrayList<>())
                        .add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
                described.add(topic.name() + ": " + name + "=" + value);
            }
        }));
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get(30, TimeUnit.SECONDS);
        }
        return described.stream().sorted().toList();
    }
}
