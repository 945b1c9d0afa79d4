package io.authstream.streams.security;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.streams.security.RuleWindow.Evidence;
import io.authstream.streams.security.RuleWindow.Firing;
import io.authstream.streams.security.ThresholdRule.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Evaluates threshold rules on a keyed stream: one {@link RuleWindow} per (rule, subject) in a
 * store, an alert when a window fills. The records must be partitioned so that every event of a
 * subject reaches the same task (by user for user rules, by IP for IP rules).
 */
public final class ThresholdDetector implements Processor<String, AuthEvent, String, SecurityAlert> {

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

    private final String storeName;
    private final List<ThresholdRule> rules;
    private ProcessorContext<String, SecurityAlert> context;
    private KeyValueStore<String, RuleWindow> windows;

    private ThresholdDetector(String storeName, List<ThresholdRule> rules) {
        this.storeName = storeName;
        this.rules = rules;
    }

    public static ProcessorSupplier<String, AuthEvent, String, SecurityAlert> supplier(String storeName, List<ThresholdRule> rules) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AuthEvent, String, SecurityAlert> get() {
                return new ThresholdDetector(storeName, rules);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(storeName), Serdes.String(),
                        RuleWindow.SERDE));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SecurityAlert> context) {
        this.context = context;
        this.windows = context.getStateStore(storeName);
        context.schedule(SWEEP_EVERY, PunctuationType.STREAM_TIME, this::forgetQuietSubjects);
    }

    @Override
    public void process(Record<String, AuthEvent> record) {
        AuthEvent event = record.value();
        for (ThresholdRule rule : rules) {
            if (!rule.matches().test(event)) {
                continue;
            }
            Optional<Subject> subject = rule.subject().apply(event);
            if (subject.isEmpty()) {
                continue;
            }
            String key = rule.id() + "\u0000" + subject.get().key();
            RuleWindow window = Optional.ofNullable(windows.get(key)).orElseGet(RuleWindow::empty);
            long time = event.getOccurredAt().toEpochMilli();
            String value = rule.distinct().map(f -> f.apply(event)).orElse(event.getEventId());
            Optional<Firing> firing = window.add(new Evidence(time, event.getEventId(), value == null ? "" : value),
                    rule.threshold(), rule.window().toMillis());
            windows.put(key, window);
            firing.ifPresent(f -> {
                SecurityAlert alert = alertOf(rule, subject.get(), f);
                context.forward(new Record<>(Alerts.key(alert), alert, record.timestamp()));
            });
        }
    }

    private static SecurityAlert alertOf(ThresholdRule rule, Subject subject, Firing firing) {
        List<Evidence> evidence = firing.evidence();
        long start = evidence.get(0).time();
        long end = evidence.get(evidence.size() - 1).time();
        List<String> ids = evidence.stream().map(Evidence::eventId).toList();
        Map<String, String> attributes = Map.of("threshold", Integer.toString(rule.threshold()),
                "count", Integer.toString(firing.count()), "window_ms", Long.toString(rule.window().toMillis()),
                "counted", rule.distinct().isPresent() ? "distinct" : "events");
        String summary = String.format(rule.summary(), firing.count(), subject.label(), human(rule.window()));
        return Alerts.alert(rule.id(), rule.severity(), subject.userId(), subject.ip(), start, end, summary, ids, attributes);
    }

    private static String human(Duration window) {
        if (window.toHours() > 0 && window.toMinutesPart() == 0 && window.toSecondsPart() == 0) {
            return window.toHours() + " h";
        }
        if (window.toMinutes() > 0 && window.toSecondsPart() == 0) {
            return window.toMinutes() + " min";
        }
        return window.toMillis() / 1000.0 + " s";
    }

    /** Drops windows that can no longer fire or suppress anything, so the store holds recent subjects only. */
    private void forgetQuietSubjects(long streamTime) {
        List<String> quiet = new ArrayList<>();
        try (KeyValueIterator<String, RuleWindow> all = windows.all()) {
            all.forEachRemaining(entry -> {
                String ruleId = entry.key.substring(0, entry.key.indexOf('\u0000'));
                long window = rules.stream().filter(r -> r.id().equals(ruleId)).findFirst()
                        .map(r -> r.window().toMillis()).orElse(0L);
                if (entry.value.lastRelevantTime(window) < streamTime) {
                    quiet.add(entry.key);
                }
            });
        }
        quiet.forEach(windows::delete);
    }
}
