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
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
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
 *
 * <p>Events reach a task out of event-time order (many users' events merged by IP, a partition
 * that lags), so, as in Kafka Streams' own windows, an event counts while it is less than its
 * rule's window plus {@code lateness} behind the task's stream time, and is dropped as late
 * (metric {@code security-rules-late-events-total}) after that. A window is forgotten only once
 * no event that still counts could join it; forgetting it earlier would split a burst, and
 * whether it did would depend on how the partitions happened to interleave.
 */
public final class ThresholdDetector implements Processor<String, AuthEvent, String, SecurityAlert> {

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

    private final String storeName;
    private final List<ThresholdRule> rules;
    private final long latenessMs;
    private ProcessorContext<String, SecurityAlert> context;
    private KeyValueStore<String, RuleWindow> windows;
    private Sensor lateEvents;

    private ThresholdDetector(String storeName, List<ThresholdRule> rules, Duration lateness) {
        this.storeName = storeName;
        this.rules = rules;
        this.latenessMs = lateness.toMillis();
    }

    /** @param lateness how far (event time) past its rule's window behind stream time an event still counts */
    public static ProcessorSupplier<String, AuthEvent, String, SecurityAlert> supplier(
            String storeName, List<ThresholdRule> rules, Duration lateness) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AuthEvent, String, SecurityAlert> get() {
                return new ThresholdDetector(storeName, rules, lateness);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(storeName), Serdes.String(), RuleWindow.SERDE));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SecurityAlert> context) {
        this.context = context;
        this.windows = context.getStateStore(storeName);
        this.lateEvents = context.metrics()
                .addSensor("security-late-events-" + storeName + "-" + context.taskId(), Sensor.RecordingLevel.INFO);
        lateEvents.add(
                new MetricName(
                        "security-rules-late-events-total",
                        "authstream-streams",
                        "Events too far behind stream time to count for a rule, once per rule",
                        Map.of("task", context.taskId().toString(), "rules", storeName)),
                new CumulativeSum());
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
            long time = event.getOccurredAt().toEpochMilli();
            if (time + rule.window().toMillis() + latenessMs < context.currentStreamTimeMs()) {
                lateEvents.record();
                continue;
            }
            String key = rule.id() + "\u0000" + subject.get().key();
            RuleWindow window = Optional.ofNullable(windows.get(key)).orElseGet(RuleWindow::empty);
            String value = rule.distinct().map(f -> f.apply(event)).orElse(event.getEventId());
            Optional<Firing> firing = window.add(
                    new Evidence(time, event.getEventId(), value == null ? "" : value),
                    rule.threshold(),
                    rule.window().toMillis());
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
        Map<String, String> attributes = Map.of(
                "threshold",
                Integer.toString(rule.threshold()),
                "count",
                Integer.toString(firing.count()),
                "window_ms",
                Long.toString(rule.window().toMillis()),
                "counted",
                rule.distinct().isPresent() ? "distinct" : "events");
        String summary = String.format(rule.summary(), firing.count(), subject.label(), human(rule.window()));
        return Alerts.alert(
                rule.id(), rule.severity(), subject.userId(), subject.ip(), start, end, summary, ids, attributes);
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

    /**
     * Drops windows no event that still counts can join (its time is at least
     * {@code streamTime - window - lateness}, and it joins what lies within a window of it), so
     * the store holds recent subjects only.
     */
    private void forgetQuietSubjects(long streamTime) {
        List<String> quiet = new ArrayList<>();
        try (KeyValueIterator<String, RuleWindow> all = windows.all()) {
            all.forEachRemaining(entry -> {
                String ruleId = entry.key.substring(0, entry.key.indexOf('\u0000'));
                long window = rules.stream()
                        .filter(r -> r.id().equals(ruleId))
                        .findFirst()
                        .map(r -> r.window().toMillis())
                        .orElse(0L);
                if (entry.value.lastRelevantTime(window) + window + latenessMs < streamTime) {
                    quiet.add(entry.key);
                }
            });
        }
        quiet.forEach(windows::delete);
    }
}
