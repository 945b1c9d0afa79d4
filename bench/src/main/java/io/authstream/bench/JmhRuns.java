package io.authstream.bench;

import java.util.Collection;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH settings every report uses (1 fork, 3 warm-up and 5 measured iterations), and reading a result back. */
final class JmhRuns {

    private JmhRuns() {}

    static Collection<RunResult> run(Class<?> benchmark, int secondsPerIteration) throws RunnerException {
        return new Runner(new OptionsBuilder()
                        .include(benchmark.getName())
                        .forks(1)
                        .warmupIterations(3)
                        .warmupTime(TimeValue.seconds(secondsPerIteration))
                        .measurementIterations(5)
                        .measurementTime(TimeValue.seconds(secondsPerIteration))
                        .build())
                .run();
    }

    /** The primary result of the benchmark method {@code method}. */
    static Result<?> result(Collection<RunResult> runs, String method) {
        return runs.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no result for " + method))
                .getPrimaryResult();
    }
}
