package io.authstream.streams.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.TestDrivers;
import io.authstream.streams.TopologyFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Ordering rules over random inputs: whatever the arrival order, when no event is more than the
 * grace behind the newest one, each key's events come out exactly once, in (occurredAt, eventId)
 * order, none marked late; and with any disorder at all, nothing is lost or duplicated.
 */
class ReorderProperties {

    record Arrival(String key, long millis, String id) {}

    @Property(tries = 60)
    void disorderWithinTheGraceIsFullyRepaired(@ForAll("withinGrace") List<Arrival> arrivals) throws Exception {
        List<TestRecord<String, AuthEvent>> out = run(arrivals);
        assertThat(out).hasSize(arrivals.size());
        assertThat(out)
                .allSatisfy(r -> assertThat(r.headers().lastHeader(ReorderProcessor.LATE_HEADER))
                        .isNull());
        Map<String, List<Arrival>> expected = arrivals.stream()
                .sorted(Comparator.comparingLong(Arrival::millis).thenComparing(Arrival::id))
                .collect(Collectors.groupingBy(Arrival::key));
        Map<String, List<String>> actual = out.stream()
                .collect(Collectors.groupingBy(
                        TestRecord::key, Collectors.mapping(r -> r.value().getEventId(), Collectors.toList())));
        expected.forEach((key, events) -> assertThat(actual.get(key))
                .as(key)
                .containsExactlyElementsOf(events.stream().map(Arrival::id).toList()));
    }

    @Property(tries = 60)
    void anyDisorderLosesAndDuplicatesNothing(@ForAll("anyOrder") List<Arrival> arrivals) throws Exception {
        List<TestRecord<String, AuthEvent>> out = run(arrivals);
        assertThat(out)
                .extracting(r -> r.value().getEventId())
                .containsExactlyInAnyOrderElementsOf(
                        arrivals.stream().map(Arrival::id).toList());
        // What is not marked late is in order per key.
        Map<String, List<TestRecord<String, AuthEvent>>> byKey = out.stream()
                .filter(r -> r.headers().lastHeader(ReorderProcessor.LATE_HEADER) == null)
                .collect(Collectors.groupingBy(TestRecord::key));
        byKey.values()
                .forEach(records -> assertThat(records)
                        .isSortedAccordingTo(Comparator.comparing((TestRecord<String, AuthEvent> r) ->
                                        r.value().getOccurredAt())
                                .thenComparing(r -> r.value().getEventId())));
    }

    private static List<TestRecord<String, AuthEvent>> run(List<Arrival> arrivals) {
        try (TopologyTestDriver driver = TestDrivers.start("reorder-properties", TopologyFixtures.GRACE)) {
            TestInputTopic<String, AuthEvent> raw = driver.createInputTopic(
                    Topics.AUTH_EVENTS_RAW.name(), new StringSerializer(), TopologyFixtures.EVENTS.serializer());
            TestOutputTopic<String, AuthEvent> ordered = driver.createOutputTopic(
                    Topics.AUTH_EVENTS_ORDERED.name(),
                    new StringDeserializer(),
                    TopologyFixtures.EVENTS.deserializer());
            for (Arrival a : arrivals) {
                raw.pipeInput(
                        a.key(),
                        AuthEvent.newBuilder(TopologyFixtures.event(a.id(), a.key(), 0))
                                .setOccurredAt(TopologyFixtures.T0.plusMillis(a.millis()))
                                .build());
            }
            driver.advanceWallClockTime(Duration.ofSeconds(10));
            return ordered.readRecordsToList();
        }
    }

    @Provide
    Arbitrary<List<Arrival>> withinGrace() {
        // Events on a timeline, then each delayed by less than the grace: arrival order = time + delay.
        return Combinators.combine(
                        Arbitraries.of("u1", "u2", "u3"),
                        Arbitraries.longs().between(0, 60_000),
                        Arbitraries.longs().between(0, TopologyFixtures.GRACE.toMillis() - 1))
                .as((key, millis, delay) -> new long[] {millis, delay, key.charAt(1)})
                .list()
                .ofMinSize(1)
                .ofMaxSize(40)
                .map(list -> {
                    List<long[]> sorted = new ArrayList<>(list);
                    sorted.sort(Comparator.comparingLong(e -> e[0] + e[1]));
                    List<Arrival> arrivals = new ArrayList<>();
                    for (int i = 0; i < sorted.size(); i++) {
                        long[] e = sorted.get(i);
                        arrivals.add(new Arrival("u" + (char) e[2], e[0], "id-" + i));
                    }
                    return arrivals;
                });
    }

    @Provide
    Arbitrary<List<Arrival>> anyOrder() {
        return Combinators.combine(
                        Arbitraries.of("u1", "u2"), Arbitraries.longs().between(0, 60_000))
                .as((key, millis) -> new long[] {millis, key.charAt(1)})
                .list()
                .ofMinSize(1)
                .ofMaxSize(40)
                .map(list -> {
                    List<Arrival> arrivals = new ArrayList<>();
                    for (int i = 0; i < list.size(); i++) {
                        arrivals.add(new Arrival("u" + (char) list.get(i)[1], list.get(i)[0], "id-" + i));
                    }
                    return arrivals;
                });
    }
}
