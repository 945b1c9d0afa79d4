package io.authstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.fixtures.Samples;
import io.authstream.gateway.ingest.BodyItem;
import io.authstream.gateway.ingest.JsonBatchParser;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventKeys;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The gateway's per-event CPU work on a 100-event Auth0 Log Streams body, in steps, against the
 * baseline every JSON ingest pays: Jackson reading the same body into a tree. Times are per event.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IngestHotPathBenchmark {

    static final int EVENTS = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private byte[] body;
    private final Instant receivedAt = Instant.parse("2026-11-23T12:00:00Z");
    private SpecificDatumWriter<AuthEvent> writer;
    private ByteArrayOutputStream out;
    private BinaryEncoder encoder;

    @Setup
    public void body() throws IOException {
        GeneratedClasses.trust();
        JsonNode sample = JSON.readTree(Samples.bytes("wire-bodies/401_JSONARRAY_body_5events.json"));
        ArrayNode records = JSON.createArrayNode();
        for (int i = 0; i < EVENTS; i++) {
            ObjectNode record = sample.get(i % sample.size()).deepCopy();
            record.put("log_id", record.get("log_id").asText() + "-" + i);
            records.add(record);
        }
        body = JSON.writeValueAsBytes(records);
        writer = new SpecificDatumWriter<>(AuthEvent.class);
        out = new ByteArrayOutputStream(4096);
    }

    /** Baseline: Jackson reads the body into a tree. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public JsonNode baselineJacksonReadTree() throws IOException {
        return JSON.readTree(body);
    }

    /** The gateway's parser: the tree plus each event's own JSON text (kept in AuthEvent.raw). */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public List<BodyItem> parse() {
        return JsonBatchParser.parse(body);
    }

    /** Parse, then normalise every event to an AuthEvent. */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void parseNormalise(Blackhole sink) {
        for (BodyItem item : JsonBatchParser.parse(body)) {
            sink.consume(Auth0LogNormalizer.normalize(item.json(), item.raw(), "auth0.log-stream", receivedAt));
        }
    }

    /** The whole per-event path: parse, normalise, record key, Avro binary (the serializer's encoding step). */
    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public void parseNormaliseSerialise(Blackhole sink) {
        for (BodyItem item : JsonBatchParser.parse(body)) {
            AuthEvent event = Auth0LogNormalizer.normalize(item.json(), item.raw(), "auth0.log-stream", receivedAt);
            sink.consume(EventKeys.of(event));
            out.reset();
            encoder = EncoderFactory.get().binaryEncoder(out, encoder);
            try {
                writer.write(event, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            sink.consume(out.size());
        }
    }
}
