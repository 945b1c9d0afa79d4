package io.authstream.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

/**
 * Runs {@link RuleMatchingBenchmark} (JMH shows its progress) and prints each operation's time
 * per event, events/s on one thread and its cost relative to the baseline of the same run (Avro
 * decode of the event); writes the table as CSV. Arguments: {@code [output directory]
 * [measurement seconds]}.
 */
public final class RuleMatchingReport {

    /** Issue 18's target for the matching stage, events/s on one thread. */
    static final double TARGET_EVENTS_PER_SECOND = 100_000;

    private RuleMatchingReport() {}

    public static void main(String[] args) throws RunnerException, IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Collection<RunResult> runs = JmhRuns.run(RuleMatchingBenchmark.class, seconds);

        double baseline = JmhRuns.result(runs, "avroDecode").getScore();
        List<String[]> rows = new ArrayList<>();
        rows.add(row("baseline: Avro decode of the event", JmhRuns.result(runs, "avroDecode"), baseline));
        rows.add(row("rule document (fields + parsed raw)", JmhRuns.result(runs, "ruleDocument"), baseline));
        Result<?> match = JmhRuns.result(runs, "matchRules");
        rows.add(row("matching stage, " + ruleCount() + " rules", match, baseline));
        rows.add(row("same, whole document as JSON text", JmhRuns.result(runs, "matchRulesByText"), baseline));

        ResultTable.printAndWrite(
                "%-40s %12s %12s %15s %12s%n",
                List.of("operation (one event)", "ns/event", "± (99.9%)", "events/s/thread", "x baseline"),
                rows,
                "operation,ns_per_event,error_ns,events_per_second,ratio_to_baseline",
                results.resolve("rules.csv"));
        double rate = 1e9 / match.getScore();
        System.out.printf(
                Locale.ROOT,
                "matching stage: %.0f events/s on one thread (target %.0f: %s), %.2f x the Avro decode's time,"
                        + " %.3f x its rate%n",
                rate,
                TARGET_EVENTS_PER_SECOND,
                rate >= TARGET_EVENTS_PER_SECOND ? "met" : "missed",
                match.getScore() / baseline,
                baseline / match.getScore());
    }

    private static int ruleCount() {
        return RuleMatchingInputs.rules().size();
    }

    private static String[] row(String name, Result<?> result, double baseline) {
        return new String[] {
            name,
            fmt(result.getScore()),
            fmt(result.getScoreError()),
            String.format(Locale.ROOT, "%.0f", 1e9 / result.getScore()),
            fmt(result.getScore() / baseline)
        };
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
