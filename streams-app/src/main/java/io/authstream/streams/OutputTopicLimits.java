package io.authstream.streams;

import io.authstream.normalize.EventLimits;
import io.authstream.schemas.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses to start when {@code auth.events.ordered} takes smaller records than the input guard
 * lets through ({@code EVENT_MAX_BYTES} and what enrichment adds). Under exactly-once an output
 * the broker refuses fails the transaction, and one released by the reorder buffer's wall-clock
 * punctuation has no input record to dead-letter on the retry: the task would fail on it until
 * the client shuts down. Found at start, it is a setting to fix, named with both numbers.
 */
final class OutputTopicLimits {

    private static final Logger LOG = LoggerFactory.getLogger(OutputTopicLimits.class);
    /** What enrichment (geo, device) and the record's framing add to an event, with room to spare. */
    static final int ENRICHMENT_HEADROOM = 64 * 1024;

    private OutputTopicLimits() {}

    /** @throws IllegalStateException when the ordered topic's {@code max.message.bytes} is too small */
    static void check(Properties streamsProperties, EventLimits limits) {
        Map<String, Object> adminConfig = new HashMap<>();
        streamsProperties.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key.toString())) {
                adminConfig.put(key.toString(), value);
            }
        });
        adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "authstream-streams-limits");
        try (Admin admin = Admin.create(adminConfig)) {
            check(admin, limits, Duration.ofSeconds(30));
        }
    }

    static void check(Admin admin, EventLimits limits, Duration timeout) {
        String topic = Topics.AUTH_EVENTS_ORDERED.name();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config;
        try {
            config = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(resource);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                LOG.warn("{} does not exist yet; its record size limit is not checked", topic);
                return;
            }
            throw new IllegalStateException("cannot read the configs of " + topic + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "Kafka did not answer within " + timeout + " when asked for the configs of " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the configs of " + topic, e);
        }
        ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
        if (entry == null || entry.value() == null) {
            return;
        }
        long takes = Long.parseLong(entry.value());
        long needs = (long) limits.maxEventBytes() + ENRICHMENT_HEADROOM;
        if (takes < needs) {
            throw new IllegalStateException(topic + " takes records of at most " + takes
                    + " bytes (max.message.bytes), but "
                    + "EVENT_MAX_BYTES lets events of " + limits.maxEventBytes() + " bytes through, which need " + needs
                    + " with enrichment: raise the topic's max.message.bytes or lower EVENT_MAX_BYTES");
        }
    }
}
