package io.authstream.opscli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.serde.AvroSerdeConfig;
import io.authstream.schemas.serde.AvroSerializer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bin/authstream}: the operator's commands. Results go to stdout (JSON lines for
 * {@code tail}), progress and diagnostics to stderr. Exit status 0 on success, 1 when a command
 * fails, 2 on a usage error.
 */
@Command(
        name = "authstream",
        mixinStandardHelpOptions = true,
        description = "Operate authstream: look at topics, list and redrive dead letters, replay, connect the "
                + "Auth0 tenant, rules (docs/operations.md).",
        subcommands = {
            AuthstreamCommand.Tail.class,
            AuthstreamCommand.Dlq.class,
            Replay.class,
            Auth0Commands.class,
            Rules.class
        })
public final class AuthstreamCommand implements Runnable {

    /** The environment the auth0 commands read their credentials from. */
    final Map<String, String> env;

    AuthstreamCommand(Map<String, String> env) {
        this.env = env;
    }

    @Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return execute(out, err, System.getenv(), args);
    }

    /** As {@link #execute(PrintWriter, PrintWriter, String...)}, with {@code env} as the environment. */
    public static int execute(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
        CommandLine line = new CommandLine(new AuthstreamCommand(env));
        line.setOut(out);
        line.setErr(err);
        line.registerConverter(
                Instant.class, text -> Since.parse(text, Clock.systemUTC().instant()));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            err.println("authstream: " + e.getMessage());
            return 1;
        });
        return line.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "tail",
            mixinStandardHelpOptions = true,
            description = {
                "Prints a topic's records as JSON lines: topic, partition, offset, timestamp, key, headers, value.",
                "Avro values are decoded through the registry; other values are text when UTF-8, else valueBase64. "
                        + "Dead letters carry their reason headers in \"deadLetter\" and the original body as text.",
                "Starts at the beginning (or --since), or, with --follow alone, at the end; without --follow it stops "
                        + "at the end offsets taken when it starts."
            })
    static final class Tail implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection;

        @Parameters(
                paramLabel = "TOPIC",
                description = "e.g. auth.events.raw, auth.events.deadletter, auth.security.alerts")
        String topic;

        @Option(names = "--from-beginning", description = "Start at the beginning (the default without --follow).")
        boolean fromBeginning;

        @Option(
                names = "--since",
                paramLabel = "TIME",
                description = "Start at the first record written at or after TIME: 15m, 2h, 7d, PT15M, "
                        + "2026-12-02 or 2026-12-02T13:00:00Z.")
        Instant since;

        @Option(names = "--key", paramLabel = "KEY", description = "Only records with this key (e.g. a user id).")
        String key;

        @Option(names = "--follow", description = "Keep printing records as they arrive (Ctrl-C to stop).")
        boolean follow;

        @Option(names = "--max", paramLabel = "N", description = "Stop after N records.")
        Long max;

        @Override
        public Integer call() {
            if (fromBeginning && since != null) {
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "give --from-beginning or --since, not both");
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            TopicReader.Start start = since != null
                    ? TopicReader.Start.since(since)
                    : (follow && !fromBeginning) ? TopicReader.Start.END : TopicReader.Start.BEGINNING;
            RecordJson json = new RecordJson(new AvroSerdeConfig(connection.serde()).registryClient());
            AtomicLong printed = new AtomicLong();
            AtomicLong read = new AtomicLong();
            new TopicReader(connection.client()).read(topic, start, follow, record -> {
                read.incrementAndGet();
                String recordKey = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
                if (key != null && !key.equals(recordKey)) {
                    return true;
                }
                ObjectNode line = json.of(record);
                out.println(line.toString());
                out.flush();
                return max == null || printed.incrementAndGet() < max;
            });
            err.println(topic + ": " + printed.get() + " record(s) printed of " + read.get() + " read");
            return 0;
        }
    }

    @Command(
            name = "dlq",
            mixinStandardHelpOptions = true,
            description = "The dead-letter topic (auth.events.deadletter): list and redrive.",
            subcommands = {DlqList.class, DlqRedrive.class})
    static final class Dlq implements Runnable {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** The filters both dlq commands take. */
    static final class Filters {
        @Option(
                names = "--reason",
                paramLabel = "CODE",
                description = "Only this reason code (repeatable), e.g. malformed_json, invalid_event.")
        List<String> reasons = new ArrayList<>();

        @Option(
                names = "--source",
                paramLabel = "SOURCE",
                description = "Only this source (repeatable), e.g. auth0.log-stream, auth0.event-stream, streams-app.")
        List<String> sources = new ArrayList<>();

        @Option(
                names = "--since",
                paramLabel = "TIME",
                description = "Only dead letters written at or after TIME: 15m, 2h, 7d, PT15M, 2026-12-02T13:00:00Z.")
        Instant since;

        DeadLetterFilter filter() {
            return new DeadLetterFilter(reasons, sources, since);
        }

        TopicReader.Start start() {
            return since == null ? TopicReader.Start.BEGINNING : TopicReader.Start.since(since);
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = {
                "Lists dead letters, one a line: time, reason, source, detail, size, partition-offset, and "
                        + "\"re-sent\" when dlq redrive re-sent it (else \"-\"); then the count of each reason.",
                "Reads to the end offsets taken when it starts."
            })
    static final class DlqList implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection;

        @Mixin
        Filters filters;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            DeadLetterFilter filter = filters.filter();
            Map<String, Long> byReason = new TreeMap<>();
            TopicReader reader = new TopicReader(connection.client());
            Map<String, Long> redriven = redriven(
                    reader,
                    false,
                    false,
                    Duration.ofSeconds(5),
                    spec.commandLine().getErr());
            long[] resent = {0};
            reader.read(Topics.AUTH_EVENTS_DEADLETTER.name(), filters.start(), false, record -> {
                DeadLetterRecord letter = DeadLetterRecord.of(record);
                if (filter.matches(letter)) {
                    byReason.merge(letter.code(), 1L, Long::sum);
                    out.println(String.join(
                            "\t",
                            letter.timestamp().toString(),
                            letter.code(),
                            letter.source(),
                            oneLine(letter.detail()),
                            letter.size() + " B",
                            letter.position(),
                            isRedriven(redriven, letter) ? "re-sent" : "-"));
                    if (isRedriven(redriven, letter)) {
                        resent[0]++;
                    }
                }
                return true;
            });
            long total = byReason.values().stream().mapToLong(Long::longValue).sum();
            out.println(total + " dead letter(s), " + resent[0] + " re-sent by dlq redrive");
            byReason.forEach((reason, count) -> out.println("  " + reason + "\t" + count));
            return 0;
        }
    }

    /**
     * What is on auth.deadletter.redriven: dead-letter position to that dead letter's timestamp.
     *
     * @param mustExist fail when the topic is missing (else: nothing was re-sent)
     * @param mustBeStable fail when a transaction on it is still open after {@code wait} (else: read what is committed)
     */
    static Map<String, Long> redriven(
            TopicReader reader, boolean mustExist, boolean mustBeStable, Duration wait, PrintWriter err) {
        String topic = Topics.AUTH_DEADLETTER_REDRIVEN.name();
        Map<String, Long> marks = new HashMap<>();
        if (!reader.exists(topic)) {
            if (!mustExist) {
                err.println(topic + " does not exist yet: nothing was re-sent before");
                return marks;
            }
            throw new IllegalStateException(
                    "no topic " + topic + ": create it (deploy/init/create-topics.sh, bin/local-stack do)");
        }
        if (!reader.awaitStable(topic, wait)) {
            if (mustBeStable) {
                throw new IllegalStateException("a transaction on " + topic + " is still open after " + wait.toSeconds()
                        + " s: is another redrive running? Try again once it is done");
            }
            err.println("a redrive is writing to " + topic + ": what it re-sends is not shown as re-sent yet");
        }
        reader.read(topic, TopicReader.Start.BEGINNING, false, record -> {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (record.value() == null) {
                marks.remove(key);
            } else {
                try {
                    marks.put(
                            key,
                            RecordJson.JSON
                                    .readTree(record.value())
                                    .path("deadLetterTimestamp")
                                    .asLong());
                } catch (java.io.IOException e) {
                    marks.put(key, -1L);
                }
            }
            return true;
        });
        return marks;
    }

    /**
     * Whether a redrive re-sent this dead letter: its position is marked, with its timestamp (a
     * dead-letter topic made anew reuses positions; a mark of an earlier record there is not its).
     */
    static boolean isRedriven(Map<String, Long> marks, DeadLetterRecord letter) {
        Long marked = marks.get(letter.position());
        return marked != null && marked == letter.timestamp().toEpochMilli();
    }

    static String oneLine(String text) {
        String flat = text == null ? "" : text.replaceAll("[\\r\\n\\t]+", " ");
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }

    @Command(
            name = "redrive",
            mixinStandardHelpOptions = true,
            description = {
                "Re-submits dead-lettered bodies through this version's normalisers (after a fix or an upgrade) "
                        + "and writes what they now make to auth.events.raw, keyed as the gateway keys it.",
                "Each re-sent dead letter is marked on auth.deadletter.redriven (key <partition>-<offset>) in the "
                        + "same transaction as its event, so a second redrive re-sends nothing. A body refused again "
                        + "stays where it is (no new dead letter) and is counted as failed again.",
                "Not re-drivable: the Streams app's dead letters (records, not bodies) and PutEvents entries "
                        + "(their caller resends them). Prints per-reason counts; progress on stderr."
            })
    static final class DlqRedrive implements Callable<Integer> {

        /** The transactional id: two redrives at once fence each other instead of both sending. */
        static final String TRANSACTIONAL_ID = "authstream-cli-redrive";

        private static final int PER_TRANSACTION = 200;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Mixin
        Connection connection;

        @Mixin
        Filters filters;

        @Option(names = "--dry-run", description = "Normalise and count, write nothing.")
        boolean dryRun;

        @Option(
                names = "--max-event-age-days",
                paramLabel = "DAYS",
                defaultValue = "${env:EVENT_TIME_MAX_AGE_DAYS:-3650}",
                description =
                        "As the gateway's EVENT_TIME_MAX_AGE_DAYS (default: that variable, else ${DEFAULT-VALUE}).")
        long maxAgeDays;

        @Option(
                names = "--max-event-ahead-ms",
                paramLabel = "MS",
                defaultValue = "${env:EVENT_TIME_MAX_AHEAD_MS:-300000}",
                description =
                        "As the gateway's EVENT_TIME_MAX_AHEAD_MS (default: that variable, else ${DEFAULT-VALUE}).")
        long maxAheadMs;

        @Option(
                names = "--max-event-bytes",
                paramLabel = "BYTES",
                defaultValue = "${env:EVENT_MAX_BYTES:-524288}",
                description = "As the gateway's EVENT_MAX_BYTES (default: that variable, else ${DEFAULT-VALUE}).")
        int maxEventBytes;

        /** Per original reason: re-sent, failed again, already re-sent, not re-drivable. */
        static final class Counts {
            long resent;
            long failedAgain;
            long alreadyResent;
            long notRedrivable;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            TopicReader reader = new TopicReader(connection.client());
            DeadLetterFilter filter = filters.filter();
            Map<String, Counts> byReason = new TreeMap<>();
            Counts total = new Counts();
            Redriver redriver;
            Map<String, Object> serde = connection.serde();
            if (dryRun) {
                // A dry run changes nothing, the registry included: the schema must be there already.
                serde.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
            }
            AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(serde, false);
            redriver = new Redriver(
                    new EventTimeBounds(Duration.ofMillis(maxAheadMs), Duration.ofDays(maxAgeDays)),
                    new EventLimits(maxEventBytes),
                    serializer);
            long[] read = {0};
            long[] inTransaction = {0};
            long[] lastProgress = {System.nanoTime()};
            String verb = dryRun ? "would re-send" : "re-sent";
            try (KafkaProducer<String, byte[]> producer = dryRun ? null : producer()) {
                if (producer != null) {
                    // First: this completes or aborts what an earlier redrive left open (same transactional id).
                    producer.initTransactions();
                }
                // Then what was re-sent before, once its transactions' markers are all written.
                Map<String, Long> redriven = redriven(reader, !dryRun, true, Duration.ofSeconds(30), err);
                reader.read(Topics.AUTH_EVENTS_DEADLETTER.name(), filters.start(), false, record -> {
                    read[0]++;
                    DeadLetterRecord letter = DeadLetterRecord.of(record);
                    if (!filter.matches(letter)) {
                        return true;
                    }
                    Counts counts = byReason.computeIfAbsent(letter.code(), c -> new Counts());
                    if (isRedriven(redriven, letter)) {
                        counts.alreadyResent++;
                        total.alreadyResent++;
                    } else {
                        Redriver.Outcome outcome = redriver.redrive(letter);
                        if (outcome instanceof Redriver.Event event) {
                            if (producer != null) {
                                if (inTransaction[0] == 0) {
                                    producer.beginTransaction();
                                }
                                producer.send(new ProducerRecord<>(
                                        Topics.AUTH_EVENTS_RAW.name(), event.key(), event.value()));
                                producer.send(new ProducerRecord<>(
                                        Topics.AUTH_DEADLETTER_REDRIVEN.name(),
                                        letter.position(),
                                        mark(letter, event)));
                                if (++inTransaction[0] >= PER_TRANSACTION) {
                                    producer.commitTransaction();
                                    inTransaction[0] = 0;
                                }
                            }
                            counts.resent++;
                            total.resent++;
                            out.println(verb + "\t" + letter.position() + "\t" + letter.code() + "\t" + letter.source()
                                    + "\tevent " + event.event().getEventId() + " ("
                                    + event.event().getType() + ")");
                        } else if (outcome instanceof Redriver.Refused refused) {
                            counts.failedAgain++;
                            total.failedAgain++;
                            out.println("failed again\t" + letter.position() + "\t" + letter.code() + "\t"
                                    + letter.source() + "\t" + refused.code() + ": " + oneLine(refused.detail()));
                        } else {
                            counts.notRedrivable++;
                            total.notRedrivable++;
                        }
                    }
                    if (System.nanoTime() - lastProgress[0] > 1_000_000_000L) {
                        lastProgress[0] = System.nanoTime();
                        err.println(progress(read[0], total, verb));
                        err.flush();
                    }
                    return true;
                });
                if (producer != null && inTransaction[0] > 0) {
                    producer.commitTransaction();
                }
            } finally {
                serializer.close();
            }
            err.println(progress(read[0], total, verb));
            out.println((dryRun ? "dry run, nothing written. " : "") + "reason\t" + verb
                    + "\tfailed again\talready re-sent\tnot re-drivable");
            byReason.forEach((reason, c) -> out.println(
                    reason + "\t" + c.resent + "\t" + c.failedAgain + "\t" + c.alreadyResent + "\t" + c.notRedrivable));
            out.println("total\t" + total.resent + "\t" + total.failedAgain + "\t" + total.alreadyResent + "\t"
                    + total.notRedrivable);
            return 0;
        }

        private static String progress(long read, Counts total, String verb) {
            return "redrive: " + read + " dead letter(s) read, " + total.resent + " " + verb + ", " + total.failedAgain
                    + " failed again, " + total.alreadyResent + " already re-sent, " + total.notRedrivable
                    + " not re-drivable";
        }

        private static byte[] mark(DeadLetterRecord letter, Redriver.Event event) {
            ObjectNode note = RecordJson.JSON.createObjectNode();
            note.put("deadLetterTimestamp", letter.timestamp().toEpochMilli());
            note.put("reason", letter.code());
            note.put("source", letter.source());
            note.put("eventId", event.event().getEventId());
            note.put("redrivenAt", Instant.now().toString());
            return note.toString().getBytes(StandardCharsets.UTF_8);
        }

        private KafkaProducer<String, byte[]> producer() {
            Map<String, Object> config = connection.client();
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TRANSACTIONAL_ID);
            config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "authstream-cli-redrive");
            config.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            config.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
            config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
            return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
    }
}
