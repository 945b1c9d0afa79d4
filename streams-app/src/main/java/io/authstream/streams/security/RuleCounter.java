package io.authstream.streams.security;

import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.streams.rules.RuleBook;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleSummaries;
import io.authstream.streams.security.RuleWindow.Evidence;
import io.authstream.streams.security.RuleWindow.Firing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The second half of the rules engine: counts the hits of rules with a threshold, a distinct
 * count or an incident gap, one {@link RuleWindow} per (rule, subject) in a store, and alerts
 * when a window fills. Hits arrive keyed by (rule, subject), so every hit of a subject reaches
 * the same task.
 *
 * <p>Hits reach a task out of event-time order (many subjects merged, a partition that lags), so,
 * as in Kafka Streams' own windows, a hit counts while it is less than its rule's window (or gap,
 * the longer) plus {@code lateness} behind the task's stream time, and is dropped as late (metric
 * {@code security-rules-late-events-total}) after that. A window is forgotten only once no hit
 * that still counts could join it; forgetting it earlier would split a burst, and whether it did
 * would depend on how the partitions happened to interleave.
 */
public final class RuleCounter implements Processor<String, RuleHit, String, SecurityAlert> {

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

    private final String storeName;
    private final RuleBook rules;
    private final long latenessMs;
    private ProcessorContext<String, SecurityAlert> context;
    private KeyValueStore<String, RuleWindow> windows;
    private Sensor lateEvents;

    private RuleCounter(String storeName, RuleBook rules, Duration lateness) {
        this.storeName = storeName;
        this.rules = rules;
        this.latenessMs = lateness.toMillis();
    }

    /**
     * @param rules read only to forget the windows of quiet subjects (each hit carries its rule's figures)
     * @param lateness how far (event time) past its rule's window behind stream time a hit still counts
     */
    public static ProcessorSupplier<String, RuleHit, String, SecurityAlert> supplier(
            String storeName, RuleBook rules, Duration lateness) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, RuleHit, String, SecurityAlert> get() {
                return new RuleCounter(storeName, rules, lateness);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // Cached: every hit reads and writes its window. The cache answers the reads of
                // windows written since the last commit without RocksDB, and sends each window to
                // RocksDB and the changelog once per commit however often it changed. bin/bench
                // topology: 180-185 µs of app CPU per event against 198-216 without
                // (docs/benchmarks.md, 2026-12-06).
                return Set.of(Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(storeName), Serdes.String(), RuleWindow.SERDE)
                        .withCachingEnabled());
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
    public void process(Record<String, RuleHit> record) {
        RuleHit hit = record.value();
        long horizon = Math.max(hit.windowMs(), hit.gapMs());
        if (hit.time() + horizon + latenessMs < context.currentStreamTimeMs()) {
            lateEvents.record();
            return;
        }
        String key = hit.key();
        RuleWindow window = Optional.ofNullable(windows.get(key)).orElseGet(RuleWindow::empty);
        Optional<Firing> firing = window.add(
                new Evidence(hit.time(), hit.eventId(), hit.value()), hit.threshold(), hit.windowMs(), hit.gapMs());
        windows.put(key, window);
        firing.ifPresent(f -> {
            SecurityAlert alert = alertOf(hit, f);
            context.forward(new Record<>(Alerts.key(alert), alert, record.timestamp()));
        });
    }

    private static SecurityAlert alertOf(RuleHit hit, Firing firing) {
        List<Evidence> evidence = firing.evidence();
        long start = evidence.get(0).time();
        long end = evidence.get(evidence.size() - 1).time();
        List<String> ids = evidence.stream().map(Evidence::eventId).toList();
        Map<String, String> attributes = new HashMap<>(hit.attributes());
        attributes.putAll(Map.of(
                "threshold",
                Integer.toString(hit.threshold()),
                "count",
                Integer.toString(firing.count()),
                "window_ms",
                Long.toString(hit.windowMs()),
                "counted",
                hit.distinct() ? "distinct" : "events",
                "rule_version",
                Integer.toString(hit.ruleVersion()),
                "subject",
                hit.subject()));
        return Alerts.alert(
                hit.ruleId(),
                hit.severity(),
                hit.userId(),
                hit.ip(),
                start,
                end,
                RuleSummaries.withCount(hit.summary(), firing.count()),
                ids,
                attributes);
    }

    /**
     * Drops windows no hit that still counts can join (its time is at least
     * {@code streamTime - horizon - lateness}, and it joins what lies within a horizon of it), so
     * the store holds recent subjects only. A rule no longer in force keeps its windows until they
     * are a lateness old.
     */
    private void forgetQuietSubjects(long streamTime) {
        RuleBook.Snapshot snapshot = rules.current();
        List<String> quiet = new ArrayList<>();
        try (KeyValueIterator<String, RuleWindow> all = windows.all()) {
            all.forEachRemaining(entry -> {
                String ruleId = entry.key.substring(0, entry.key.indexOf('\u0000'));
                long horizon = snapshot.rule(ruleId)
                        .map(RuleDefinition::horizon)
                        .map(Duration::toMillis)
                        .orElse(0L);
                if (entry.value.lastRelevantTime(horizon) + horizon + latenessMs < streamTime) {
                    quiet.add(entry.key);
                }
            });
        }
        quiet.forEach(windows::delete);
    }
}
