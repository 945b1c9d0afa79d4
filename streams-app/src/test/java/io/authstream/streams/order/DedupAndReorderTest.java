package io.authstream.streams.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.enrich.Enricher;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.AuthTopology;
import io.authstream.streams.TestDrivers;
import io.authstream.streams.TopologyFixtures;
import io.authstream.streams.security.SecuritySettings;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dedup and reorder through the real topology, with stream time and the wall clock driven by hand. */
public class DedupAndReorderTest {

    private TopologyTestDriver driver;
    private TestInputTopic<String, AuthEvent> raw;
    private TestOutputTopic<String, AuthEvent> ordered;

    @BeforeEach
    void start() {
        driver = TestDrivers.start("dedup-reorder-test", TopologyFixtures.GRACE);
        raw = TestDrivers.raw(driver);
        ordered = TestDrivers.output(driver, Topics.AUTH_EVENTS_ORDERED.name(), AuthEvent.class);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static AuthEvent receivedAt(AuthEvent event, long secondsAfterT0) {
        return AuthEvent.newBuilder(event)
                .setReceivedAt(TopologyFixtures.T0.plusSeconds(secondsAfterT0))
                .build();
    }

    private void send(AuthEvent event) {
        raw.pipeInput(event.getUserId(), event);
    }

    private Object metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(name))
                .map(e -> e.getValue().metricValue())
                .findFirst()
                .orElseThrow();
    }

    private List<String> releasedIds() {
        return ordered.readRecordsToList().stream()
                .map(r -> r.value().getEventId())
                .toList();
    }

    @Test
    void operatorsAndStoresHaveStableNames() {
        // Changelog topics are named after the stores: renaming one would orphan its state.
        String description = AuthTopology.build(
                        AuthTopology.Settings.defaults(), TopologyFixtures.SERDES, Enricher.off())
                .describe()
                .toString();
        assertThat(description)
                .contains(
                        "Source: raw-events (topics: [auth.events.raw])",
                        "Processor: dedup (stores: [dedup-event-ids])",
                        "Sink: ordered-events (topic: auth.events.ordered)");
        // Enrichment sits between reorder and everything that reads the ordered stream, the topic included.
        assertThat(childrenOf(description, "Processor: reorder")).isEqualTo("enrich");
        assertThat(childrenOf(description, "Processor: enrich").split(", "))
                .containsExactlyInAnyOrder(
                        "ordered-events",
                        "profile-fold",
                        "rules-match",
                        "travel-rules",
                        "metric-hits",
                        "active-sign-ins");
        // Kafka Streams lists a processor's stores in no fixed order.
        String reorder = description
                .lines()
                .filter(l -> l.contains("Processor: reorder"))
                .findFirst()
                .orElseThrow();
        assertThat(reorder).contains("reorder-buffer", "reorder-last-released");
    }

    /** The node names after "-->" on the line below {@code node} in a topology description. */
    private static String childrenOf(String description, String node) {
        return description
                .lines()
                .dropWhile(l -> !l.contains(node + " "))
                .skip(1)
                .findFirst()
                .orElseThrow()
                .strip()
                .substring("--> ".length());
    }

    @Test
    void laterCopiesOfAnEventIdAreDropped() {
        send(TopologyFixtures.event("a", "u1", 0));
        send(TopologyFixtures.event("a", "u1", 0));
        send(TopologyFixtures.event("b", "u1", 1));
        send(TopologyFixtures.event("a", "u1", 0));
        send(TopologyFixtures.event("z", "u1", 60));
        assertThat(releasedIds()).containsExactly("a", "b");
        assertThat(metric("dedup-dropped-duplicates-total")).isEqualTo(2.0);
    }

    @Test
    void copiesOfAnOldEventReceivedTogetherAreDropped() {
        // Found with the Auth0 samples: 2021 records delivered again, after 2025 ones.
        long threeDays = 3 * 24 * 3600;
        send(TopologyFixtures.event("new", "u2", threeDays));
        send(receivedAt(TopologyFixtures.event("old", "u1", 0), threeDays));
        send(receivedAt(TopologyFixtures.event("old", "u1", 0), threeDays + 60));
        send(TopologyFixtures.event("push", "u2", threeDays + 60));
        assertThat(releasedIds()).containsExactly("old", "new");
        assertThat(metric("dedup-dropped-duplicates-total")).isEqualTo(1.0);
    }

    @Test
    void aCopyReceivedAfterTheRetentionPasses() {
        send(TopologyFixtures.event("once", "u1", 0));
        send(receivedAt(TopologyFixtures.event("once", "u1", 0), 24 * 3600 + 1));
        assertThat(metric("dedup-dropped-duplicates-total")).isEqualTo(0.0);
        // A copy received a little earlier than the first (another gateway's clock) is still a copy.
        send(receivedAt(TopologyFixtures.event("once", "u1", 0), -2));
        assertThat(metric("dedup-dropped-duplicates-total")).isEqualTo(1.0);
    }

    @Test
    void outOfOrderWithinGraceComesOutInEventTimeOrder() {
        send(TopologyFixtures.event("e3", "u1", 3));
        send(TopologyFixtures.event("e1", "u1", 1));
        send(TopologyFixtures.event("e2", "u1", 2));
        assertThat(releasedIds()).isEmpty();
        send(TopologyFixtures.event("x", "u2", 9));
        List<TestRecord<String, AuthEvent>> out = ordered.readRecordsToList();
        assertThat(out).extracting(r -> r.value().getEventId()).containsExactly("e1", "e2", "e3");
        // Emitted records carry their own event time, not the time of the flush.
        assertThat(out)
                .extracting(TestRecord::getRecordTime)
                .containsExactly(
                        TopologyFixtures.T0.plusSeconds(1),
                        TopologyFixtures.T0.plusSeconds(2),
                        TopologyFixtures.T0.plusSeconds(3));
        assertThat(out).extracting(TestRecord::key).containsOnly("u1");
    }

    @Test
    void sameMillisecondEventsBothComeOutInIdOrder() {
        send(TopologyFixtures.event("m-b", "u1", 1));
        send(TopologyFixtures.event("m-a", "u1", 1));
        send(TopologyFixtures.event("later", "u1", 20));
        assertThat(releasedIds()).containsExactly("m-a", "m-b");
    }

    @Test
    void aLateEventIsEmittedAtOnceMarkedAndCounted() {
        send(TopologyFixtures.event("e10", "u1", 10));
        send(TopologyFixtures.event("push", "u1", 20));
        assertThat(releasedIds()).containsExactly("e10");
        send(TopologyFixtures.event("e5", "u1", 5));
        List<TestRecord<String, AuthEvent>> out = ordered.readRecordsToList();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.value().getEventId()).isEqualTo("e5");
            assertThat(new String(
                            r.headers().lastHeader(ReorderProcessor.LATE_HEADER).value()))
                    .isEqualTo("true");
            assertThat(r.getRecordTime()).isEqualTo(TopologyFixtures.T0.plusSeconds(5));
        });
        assertThat(metric("reorder-late-events-total")).isEqualTo(1.0);
    }

    @Test
    void anEventInsideTheGraceIsNotLate() {
        send(TopologyFixtures.event("e10", "u1", 10));
        send(TopologyFixtures.event("e8", "u1", 8));
        send(TopologyFixtures.event("push", "u1", 30));
        List<TestRecord<String, AuthEvent>> out = ordered.readRecordsToList();
        assertThat(out).extracting(r -> r.value().getEventId()).containsExactly("e8", "e10");
        assertThat(out)
                .allSatisfy(r -> assertThat(r.headers().lastHeader(ReorderProcessor.LATE_HEADER))
                        .isNull());
    }

    @Test
    void aQuietKeyIsReleasedByTheWallClock() {
        send(TopologyFixtures.event("q2", "quiet", 2));
        send(TopologyFixtures.event("q1", "quiet", 1));
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        assertThat(releasedIds()).isEmpty();
        driver.advanceWallClockTime(Duration.ofSeconds(4));
        assertThat(releasedIds()).containsExactly("q1", "q2");
    }

    @Test
    void theLastReleasedPositionIsForgottenAfterTheRetentionAndOlderEventsStayLate() {
        driver.close();
        driver = TestDrivers.start(
                "reorder-memory-test",
                new AuthTopology.Settings(
                        Duration.ofMinutes(1),
                        TopologyFixtures.GRACE,
                        Duration.ofSeconds(1),
                        SecuritySettings.defaults(),
                        EventTimeBounds.defaults(),
                        EventLimits.defaults(),
                        Duration.ofSeconds(1)));
        raw = TestDrivers.raw(driver);
        ordered = TestDrivers.output(driver, Topics.AUTH_EVENTS_ORDERED.name(), AuthEvent.class);
        KeyValueStore<String, Bytes> released = driver.getKeyValueStore(ReorderProcessor.RELEASED_STORE);

        send(TopologyFixtures.event("a1", "forgotten", 1));
        send(TopologyFixtures.event("b1", "busy", 30));
        assertThat(releasedIds()).containsExactly("a1");
        assertThat(released.get("forgotten")).isNotNull();

        send(TopologyFixtures.event("b2", "busy", 60));
        assertThat(released.get("forgotten"))
                .as("59 s after its release, inside the 1 min retention")
                .isNotNull();
        send(TopologyFixtures.event("b3", "busy", 120));
        assertThat(released.get("forgotten")).as("past the retention").isNull();
        assertThat(released.get("busy")).isNotNull();
        releasedIds();

        // Older than the forgotten position, and beyond the retention: still late, at once.
        send(TopologyFixtures.event("a0", "forgotten", 0));
        List<TestRecord<String, AuthEvent>> late = ordered.readRecordsToList();
        assertThat(late).singleElement().satisfies(r -> {
            assertThat(r.value().getEventId()).isEqualTo("a0");
            assertThat(r.headers().lastHeader(ReorderProcessor.LATE_HEADER)).isNotNull();
        });
        // A new event of the forgotten key is ordered normally again.
        send(TopologyFixtures.event("a2", "forgotten", 119));
        assertThat(releasedIds()).isEmpty();
        send(TopologyFixtures.event("b4", "busy", 130));
        assertThat(ordered.readRecordsToList())
                .extracting(r -> r.value().getEventId())
                .containsExactly("a2", "b3");
    }
}
