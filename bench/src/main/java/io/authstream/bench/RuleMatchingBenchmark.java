package io.authstream.bench;

import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.rules.RuleDefinition;
import io.authstream.streams.rules.RuleDocument;
import io.authstream.streams.rules.RuleMatcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The rule matching stage (issue 18): the built-in pack plus 100 generated user rules in one
 * {@link RuleMatcher}, fed 4 096 Auth0 events of mixed types as the gateway normalises them
 * ({@link RuleMatchingInputs}). Baseline: decoding the same events' Avro binary, which every
 * event pays in the topology before any rule sees it. One event per operation, one thread.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RuleMatchingBenchmark {

    static final int EVENTS = 4096;

    private RuleMatcher matcher;
    private List<AuthEvent> events;
    private List<byte[]> encoded;
    private SpecificDatumReader<AuthEvent> reader;
    private BinaryDecoder decoder;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        GeneratedClasses.trust();
        List<RuleDefinition> rules = RuleMatchingInputs.rules();
        matcher = RuleMatcher.of(rules);
        events = RuleMatchingInputs.events(EVENTS);
        encoded = new ArrayList<>(events.size());
        SpecificDatumWriter<AuthEvent> writer = new SpecificDatumWriter<>(AuthEvent.class);
        for (AuthEvent event : events) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(event, encoder);
            encoder.flush();
            encoded.add(out.toByteArray());
        }
        reader = new SpecificDatumReader<>(AuthEvent.class);
    }

    private int next() {
        next = (next + 1) % EVENTS;
        return next;
    }

    /** Baseline: the event's Avro binary decoded into an AuthEvent. */
    @Benchmark
    public AuthEvent avroDecode() throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(encoded.get(next()), decoder);
        return reader.read(null, decoder);
    }

    /** The whole matching stage for one AuthEvent: its rule document and the ids of the rules it matches. */
    @Benchmark
    public List<String> matchRules() {
        return matcher.matches(events.get(next()));
    }

    /**
     * The matching stage as it was first written, for comparison: the whole rule document as
     * JSON text into event-ruler's {@code rulesForJSONEvent(String)} ({@link RuleMatcher#matchesByText}).
     */
    @Benchmark
    public List<String> matchRulesByText() {
        return matcher.matchesByText(RuleDocument.of(events.get(next())));
    }

    /** Part of {@link #matchRules}: the rule document alone (the event's fields and its parsed raw record). */
    @Benchmark
    public Object ruleDocument() {
        return RuleDocument.of(events.get(next()));
    }
}
