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
 * Runs {@link IngestHotPathBenchmark} (JMH shows its progress) and prints each step's time per
 * event with its error and its cost relative to the baseline measured in the same run; writes
 * the table as CSV. Arguments: {@code [output directory] [measurement seconds]}.
 */
public final class HotPathReport {

    private HotPathReport() {}

    public static void main(String[] args) throws RunnerException, IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Collection<RunResult> runs = JmhRuns.run(IngestHotPathBenchmark.class, seconds);

        List<String[]> rows = new ArrayList<>();
        double baseline = JmhRuns.result(runs, "baselineJacksonReadTree").getScore();
        for (String step : List.of("baselineJacksonReadTree", "parse", "parseNormalise", "parseNormaliseSerialise")) {
            Result<?> result = JmhRuns.result(runs, step);
            rows.add(new String[] {
                step,
                fmt(result.getScore()),
                fmt(result.getScoreError()),
                fmt(result.getScore() / baseline),
                String.format(Locale.ROOT, "%.0f", 1e9 / result.getScore())
            });
        }
        ResultTable.printAndWrite(
                "%-26s %12s %10s %14s %14s%n",
                List.of("step (100-event body)", "ns/event", "± (99.9%)", "x baseline", "events/s/core"),
                rows,
                "step,ns_per_event,error_ns,ratio_to_baseline,events_per_second_per_core",
                results.resolve("hot-path.csv"));
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
