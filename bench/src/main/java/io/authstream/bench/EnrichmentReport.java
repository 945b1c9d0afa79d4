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
 * Runs {@link EnrichmentBenchmark} (JMH shows its progress) and prints each operation's time,
 * rate and cost relative to the baseline of the same run (Avro decode of the event); writes the
 * table as CSV. Arguments: {@code [output directory] [measurement seconds]}.
 */
public final class EnrichmentReport {

    private EnrichmentReport() {}

    public static void main(String[] args) throws RunnerException, IOException {
        Path results = Path.of(args.length > 0 ? args[0] : "bench/target/results");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Collection<RunResult> runs = JmhRuns.run(EnrichmentBenchmark.class, seconds);

        double baseline = JmhRuns.result(runs, "baselineAvroDecode").getScore();
        List<String[]> rows = new ArrayList<>();
        rows.add(row("baseline: Avro decode of the event", JmhRuns.result(runs, "baselineAvroDecode"), baseline));
        rows.add(row("geo lookup, IPv4", JmhRuns.result(runs, "geoIpv4"), baseline));
        rows.add(row("geo lookup, IPv6", JmhRuns.result(runs, "geoIpv6"), baseline));
        rows.add(row("user agent, cached", JmhRuns.result(runs, "userAgentCached"), baseline));
        rows.add(row("user agent, uncached", JmhRuns.result(runs, "userAgentUncached"), baseline));
        rows.add(row("enrich one event (IPv4, cached agent)", JmhRuns.result(runs, "enrichEvent"), baseline));

        ResultTable.printAndWrite(
                "%-40s %12s %12s %14s %12s%n",
                List.of("operation", "ns/op", "± (99.9%)", "ops/s/thread", "x baseline"),
                rows,
                "operation,ns_per_op,error_ns,ops_per_second,ratio_to_baseline",
                results.resolve("enrichment.csv"));
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
