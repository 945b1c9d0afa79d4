package io.authstream.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.enrich.Enricher;
import io.authstream.enrich.device.DeviceParser;
import io.authstream.enrich.geo.GeoIpLookup;
import io.authstream.fixtures.Samples;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * The enrichment's lookups, one at a time, against a baseline every event pays in the Streams
 * topology: decoding the event's Avro binary (the source does it once per event, and every
 * processor that keeps events in a store does it again). Inputs: 10 000 random addresses each
 * database locates, 200 real-world user agents, Auth0 sample events.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EnrichmentBenchmark {

    static final int ADDRESSES = 10_000;

    private GeoIpLookup geo;
    private DeviceParser cached;
    private DeviceParser uncached;
    private Enricher enricher;
    private List<String> ipv4;
    private List<String> ipv6;
    private List<String> agents;
    private List<AuthEvent> events;
    private List<byte[]> encoded;
    private SpecificDatumReader<AuthEvent> reader;
    private BinaryDecoder decoder;
    private int next;

    @Setup(Level.Trial)
    public void open() throws IOException {
        GeneratedClasses.trust();
        geo = GeoIpLookup.open(EnrichmentInputs.databases());
        ipv4 = EnrichmentInputs.locatedAddresses(geo, false, ADDRESSES, 4);
        ipv6 = EnrichmentInputs.locatedAddresses(geo, true, ADDRESSES, 6);
        agents = EnrichmentInputs.userAgents();
        cached = DeviceParser.create(10_000);
        uncached = DeviceParser.create(0);
        enricher = new Enricher(Optional.of(geo), Optional.of(cached));

        // Auth0 sample sign-ins as the gateway normalises them, each from a located address and a common agent.
        JsonNode samples = new ObjectMapper().readTree(Samples.bytes("wire-bodies/401_JSONARRAY_body_5events.json"));
        events = new ArrayList<>();
        encoded = new ArrayList<>();
        SpecificDatumWriter<AuthEvent> writer = new SpecificDatumWriter<>(AuthEvent.class);
        for (int i = 0; i < ADDRESSES; i++) {
            JsonNode record = samples.get(i % samples.size());
            AuthEvent event = AuthEvent.newBuilder(Auth0LogNormalizer.normalize(
                            record, record.toString(), "auth0.log-stream", Instant.parse("2026-11-23T12:00:00Z")))
                    .setGeo(null)
                    .setIp(ipv4.get(i))
                    .setUserAgent(agents.get(i % agents.size()))
                    .build();
            events.add(event);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(event, encoder);
            encoder.flush();
            encoded.add(out.toByteArray());
        }
        reader = new SpecificDatumReader<>(AuthEvent.class);
    }

    @TearDown(Level.Trial)
    public void close() {
        geo.close();
    }

    private int next() {
        next = (next + 1) % ADDRESSES;
        return next;
    }

    /** Baseline: the event's Avro binary decoded into an AuthEvent. */
    @Benchmark
    public AuthEvent baselineAvroDecode() throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(encoded.get(next()), decoder);
        return reader.read(null, decoder);
    }

    @Benchmark
    public Object geoIpv4() {
        return geo.lookup(ipv4.get(next()));
    }

    @Benchmark
    public Object geoIpv6() {
        return geo.lookup(ipv6.get(next()));
    }

    /** 200 distinct agents, all in the cache after the first round: the common case. */
    @Benchmark
    public Object userAgentCached() {
        return cached.parse(agents.get(next() % agents.size()));
    }

    /** The same agents through an analyzer without cache: the cost of an agent seen for the first time. */
    @Benchmark
    public Object userAgentUncached() {
        return uncached.parse(agents.get(next() % agents.size()));
    }

    /** What the topology's enrich step does per event: IPv4 lookup, cached agent, the enriched copy. */
    @Benchmark
    public Object enrichEvent() {
        return enricher.enrich(events.get(next()));
    }
}
