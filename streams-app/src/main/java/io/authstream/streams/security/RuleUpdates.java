package io.authstream.streams.security;

import io.authstream.streams.rules.RuleBook;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies auth.rules to the instance's {@link RuleBook}: runs on the global stream thread of
 * every instance, which reads the whole (compacted) topic, so each instance applies a published
 * rule within its poll interval. The global store keeps the valid records; at start the store,
 * restored from the topic, is applied before any record is processed.
 */
public final class RuleUpdates implements Processor<String, String, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(RuleUpdates.class);

    private final String storeName;
    private final RuleBook rules;
    private KeyValueStore<String, String> published;

    public RuleUpdates(String storeName, RuleBook rules) {
        this.storeName = storeName;
        this.rules = rules;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        published = context.getStateStore(storeName);
        int applied = 0;
        try (KeyValueIterator<String, String> all = published.all()) {
            while (all.hasNext()) {
                var entry = all.next();
                if (apply(entry.key, entry.value)) {
                    applied++;
                }
            }
        }
        if (applied > 0) {
            LOG.info("{} published rules in force from auth.rules", applied);
        }
    }

    @Override
    public void process(Record<String, String> record) {
        String id = record.key();
        if (id == null) {
            LOG.warn("auth.rules record without a key ignored: the key must be the rule id");
            return;
        }
        if (record.value() == null) {
            published.delete(id);
            rules.withdraw(id);
            LOG.info("rule {} withdrawn from auth.rules", id);
            return;
        }
        if (apply(id, record.value())) {
            published.put(id, record.value());
            LOG.info("rule {} from auth.rules in force", id);
        }
    }

    private boolean apply(String id, String text) {
        Optional<String> refused = rules.publish(id, text);
        refused.ifPresent(
                reason -> LOG.warn("rule {} from auth.rules refused, the previous one stays: {}", id, reason));
        return refused.isEmpty();
    }
}
