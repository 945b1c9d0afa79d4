package io.authstream.gateway;

import io.authstream.fixtures.Samples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Seed inputs for the Jazzer fuzz tests, built from the sample payloads: Jazzer runs them as
 * regression cases and starts fuzzing from them, so the corpora committed under each
 * {@code <Class>Inputs} directory only hold what fuzzing found beyond these.
 */
public final class FuzzSeeds {

    /** The routes a normaliser seed addresses, by its first byte. */
    public static final byte LOG_STREAM = 0;

    public static final byte EVENT_STREAM = 1;
    public static final byte EVENTBRIDGE = 2;
    public static final byte ACTIONS = 3;

    private FuzzSeeds() {}

    /** Every sample body as the gateway receives it. */
    public static Stream<byte[]> sampleBodies() {
        return Stream.of("log-stream", "event-streams", "eventbridge", "wire-bodies")
                .flatMap(folder -> Samples.list(folder).stream())
                .map(Samples::bytes);
    }

    /** Each sample body, prefixed with the byte naming the route that takes it. */
    public static Stream<byte[]> routedBodies() {
        List<byte[]> seeds = new ArrayList<>();
        for (String sample : Samples.list("log-stream")) {
            seeds.add(routed(LOG_STREAM, Samples.bytes(sample)));
        }
        for (String sample : Samples.list("wire-bodies")) {
            seeds.add(routed(LOG_STREAM, Samples.bytes(sample)));
        }
        for (String sample : Samples.list("event-streams")) {
            seeds.add(routed(EVENT_STREAM, Samples.bytes(sample)));
        }
        for (String sample : Samples.list("eventbridge")) {
            seeds.add(routed(EVENTBRIDGE, Samples.bytes(sample)));
        }
        seeds.add(routed(
                EVENTBRIDGE,
                ("{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":\"user.signed_in\","
                                + "\"source\":\"com.example.app\",\"time\":\"2025-08-01T09:30:00Z\",\"detail\":{\"eventId\":\"a-1\","
                                + "\"userId\":\"auth0|1\",\"email\":\"a@example.com\",\"success\":\"false\",\"reason\":\"x\","
                                + "\"timestamp\":1754040600000}}")
                        .getBytes(StandardCharsets.UTF_8)));
        // Times an Instant holds but Avro's timestamp-millis does not (toEpochMilli overflows past
        // year 292 278 994): EventTimeBounds must dead-letter them before the serializer sees them.
        seeds.add(routed(
                LOG_STREAM,
                ("{\"log_id\":\"far-1\",\"data\":{\"type\":\"s\",\"date\":\"+999999999-12-31T23:59:59Z\"}}")
                        .getBytes(StandardCharsets.UTF_8)));
        seeds.add(routed(
                EVENT_STREAM,
                ("{\"specversion\":\"1.0\",\"type\":\"com.auth0.user.created\",\"id\":\"far-2\","
                                + "\"time\":\"-999999999-01-01T00:00:00Z\",\"data\":{\"object\":{\"user_id\":\"auth0|1\"}}}")
                        .getBytes(StandardCharsets.UTF_8)));
        seeds.add(routed(
                ACTIONS,
                ("{\"topic\":\"auth\",\"subject\":\"user.signed_in\",\"message\":"
                                + "{\"username\":\"a\",\"email\":\"a@example.com\",\"user_id\":\"auth0|1\",\"timestamp\":\"2025-08-01T09:30:00Z\"}}")
                        .getBytes(StandardCharsets.UTF_8)));
        return seeds.stream();
    }

    private static byte[] routed(byte route, byte[] body) {
        byte[] seed = new byte[body.length + 1];
        seed[0] = route;
        System.arraycopy(body, 0, seed, 1, body.length);
        return seed;
    }
}
