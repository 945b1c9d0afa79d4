package io.authstream.rulescli;

import io.authstream.enrich.Enricher;
import io.authstream.enrich.EnrichmentSettings;
import io.authstream.schemas.Topics;
import io.authstream.streams.rules.RuleCaseRunner.CaseResult;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleFileException;
import io.authstream.streams.rules.RuleFileLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/rules}: test rule files against the Streams topology, publish them to auth.rules,
 * withdraw them. Exit status 0 on success, 1 when a case fails or a file is refused, 2 on a usage
 * error.
 */
@Command(
        name = "rules",
        mixinStandardHelpOptions = true,
        description = "Detection rules as data (docs/rules-format.md): test, publish, withdraw.",
        subcommands = {RulesCommand.Test.class, RulesCommand.Publish.class, RulesCommand.Withdraw.class})
public final class RulesCommand implements Runnable {

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new RulesCommand());
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof RuleFileException refused) {
                err.println(refused.problems().size() + " problem(s):");
                refused.problems().forEach(p -> err.println("  " + p));
            } else {
                err.println(e.getMessage());
            }
            return 1;
        });
        return line.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Loads files and directories (every *.yml, *.yaml, *.json of a directory) in the order given. */
    static Map<Path, List<RuleDefinition>> load(List<Path> paths) {
        Map<Path, List<RuleDefinition>> files = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path path : paths) {
            try {
                if (Files.isDirectory(path)) {
                    RuleFileLoader.loadDirectory(path)
                            .forEach(rule -> files.computeIfAbsent(Path.of(rule.source()), p -> new ArrayList<>())
                                    .add(rule));
                } else if (Files.isRegularFile(path)) {
                    files.put(path, RuleFileLoader.load(path));
                } else {
                    problems.add(path + ": no such file or directory");
                }
            } catch (RuleFileException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new RuleFileException(String.valueOf(paths), problems);
        }
        return files;
    }

    /** Runs every case through the topology, printing one line per case; true when all pass. */
    static boolean runCases(List<RuleDefinition> rules, PrintWriter out) {
        try (Enricher enricher = Enricher.open(new EnrichmentSettings(List.of(), false, 0))) {
            TopologyCaseRunner runner = new TopologyCaseRunner(enricher);
            int cases = rules.stream().mapToInt(r -> r.tests().size()).sum();
            int done = 0;
            int failed = 0;
            for (RuleDefinition rule : rules) {
                for (var test : rule.tests()) {
                    CaseResult result = runner.run(rules, rule, test);
                    done++;
                    if (!result.passed()) {
                        failed++;
                    }
                    out.println("[" + done + "/" + cases + "] " + result);
                }
            }
            List<String> untested = rules.stream()
                    .filter(r -> r.enabled() && r.tests().isEmpty())
                    .map(RuleDefinition::id)
                    .toList();
            out.println(rules.size() + " rules, " + cases + " cases: " + (cases - failed) + " passed, " + failed
                    + " failed" + (untested.isEmpty() ? "" : "; rules without cases: " + String.join(", ", untested)));
            return failed == 0;
        }
    }

    @Command(
            name = "test",
            mixinStandardHelpOptions = true,
            description = "Runs the test cases of rule files through the Streams topology (no broker needed); "
                    + "the rules run beside the built-in pack, as RULES_DIR makes them run.")
    static final class Test implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--built-in", description = "Test the built-in pack (shipped in the jar).")
        boolean builtIn;

        @Parameters(paramLabel = "PATH", arity = "0..*", description = "Rule files or directories of them.")
        List<Path> paths = new ArrayList<>();

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (paths.isEmpty() && !builtIn) {
                throw new CommandLine.ParameterException(spec.commandLine(), "give rule files or --built-in");
            }
            List<RuleDefinition> rules = new ArrayList<>();
            if (builtIn) {
                rules.addAll(RuleFileLoader.builtIn());
            }
            load(paths).values().forEach(rules::addAll);
            return runCases(rules, out) ? 0 : 1;
        }
    }

    /** Options shared by the commands that write to auth.rules. */
    static final class Kafka {
        @Option(
                names = "--bootstrap-servers",
                defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
                description = "Kafka to publish to (default: $KAFKA_BOOTSTRAP_SERVERS, else ${DEFAULT-VALUE}).")
        String bootstrapServers;

        @Option(
                names = "--command-config",
                description = "A properties file of further producer settings (security.protocol, sasl.*, ...).")
        Path commandConfig;

        KafkaProducer<String, String> producer() {
            Properties props = new Properties();
            if (commandConfig != null) {
                try (InputStream in = Files.newInputStream(commandConfig)) {
                    props.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + commandConfig, e);
                }
            }
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }

        static void send(KafkaProducer<String, String> producer, String id, String value, PrintWriter out) {
            try {
                RecordMetadata at = producer.send(new ProducerRecord<>(Topics.AUTH_RULES.name(), id, value))
                        .get(40, TimeUnit.SECONDS);
                out.println((value == null ? "withdrew " : "published ") + id + " (" + at.topic() + "-" + at.partition()
                        + "@" + at.offset() + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while publishing " + id, e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException(
                        "could not write " + id + " to " + Topics.AUTH_RULES.name() + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(
            name = "publish",
            mixinStandardHelpOptions = true,
            description = "Validates rule files, runs their test cases, then publishes each rule to auth.rules "
                    + "(key: rule id); every Streams instance applies it within seconds.")
    static final class Publish implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Kafka kafka;

        @Option(names = "--skip-tests", description = "Publish without running the test cases first.")
        boolean skipTests;

        @Parameters(paramLabel = "PATH", arity = "1..*", description = "Rule files or directories of them.")
        List<Path> paths;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Map<Path, List<RuleDefinition>> files = load(paths);
            List<RuleDefinition> rules =
                    files.values().stream().flatMap(List::stream).toList();
            if (!skipTests && !runCases(rules, out)) {
                spec.commandLine().getErr().println("not published: a test case failed");
                return 1;
            }
            try (KafkaProducer<String, String> producer = kafka.producer()) {
                for (Path file : files.keySet()) {
                    RuleTexts.of(file).forEach((id, text) -> Kafka.send(producer, id, text, out));
                }
            }
            return 0;
        }
    }

    @Command(
            name = "withdraw",
            mixinStandardHelpOptions = true,
            description = "Withdraws published rules (a tombstone on auth.rules): what they replaced runs again.")
    static final class Withdraw implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        Kafka kafka;

        @Parameters(paramLabel = "RULE_ID", arity = "1..*", description = "Ids of published rules.")
        List<String> ids;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (KafkaProducer<String, String> producer = kafka.producer()) {
                ids.forEach(id -> Kafka.send(producer, id, null, out));
            }
            return 0;
        }
    }
}
