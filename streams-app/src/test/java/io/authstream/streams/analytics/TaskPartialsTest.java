package io.authstream.streams.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.datasketches.hll.HllSketch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One task's partials: folded per key and bucket, sent with their latest event time on the flush, then forgotten. */
class TaskPartialsTest {

    private static final Duration FLUSH = Duration.ofSeconds(1);
    private static final Instant NINE = Instant.parse("2025-03-02T09:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, MetricHit> hits;
    private TestOutputTopic<String, Tally> partials;

    @BeforeEach
    void start() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("hits", Consumed.with(Serdes.String(), MetricHit.SERDE))
                .process(TaskPartials.supplier(
                        "partials", Duration.ofHours(1), FLUSH, Tally.SERDE, Tally::zero, Tally::add))
                .to("partials", Produced.with(Serdes.String(), Tally.SERDE));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "task-partials-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("task-partials").toString());
        driver = new TopologyTestDriver(builder.build(), props, NINE);
        hits = driver.createInputTopic("hits", new StringSerializer(), MetricHit.SERDE.serializer());
        partials = driver.createOutputTopic("partials", new StringDeserializer(), Tally.SERDE.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void foldsPerKeyAndHourAndSendsOnlyOnTheFlushWithTheLatestEventTime() {
        hits.pipeInput("failed_login_rate|", MetricHit.ATTEMPT_FAILED, NINE.plusSeconds(30));
        hits.pipeInput("failed_login_rate|", MetricHit.ATTEMPT_SUCCEEDED, NINE.plusSeconds(90));
        hits.pipeInput("failed_login_rate|", MetricHit.ATTEMPT_FAILED, NINE.plusSeconds(10));
        hits.pipeInput("sign_ins|", MetricHit.COUNT, NINE.plusSeconds(20));
        hits.pipeInput("sign_ins|", MetricHit.COUNT, NINE.plus(Duration.ofMinutes(61)));
        assertThat(partials.isEmpty()).as("nothing leaves before the flush").isTrue();

        driver.advanceWallClockTime(FLUSH);
        List<TestRecord<String, Tally>> sent = partials.readRecordsToList();
        assertThat(sent)
                .extracting(TestRecord::key, TestRecord::value, TestRecord::getRecordTime)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                "failed_login_rate|", new Tally(2, 3), NINE.plusSeconds(90)),
                        org.assertj.core.groups.Tuple.tuple("sign_ins|", new Tally(1, 0), NINE.plusSeconds(20)),
                        org.assertj.core.groups.Tuple.tuple(
                                "sign_ins|", new Tally(1, 0), NINE.plus(Duration.ofMinutes(61))));
    }

    @Test
    void aSentPartialIsForgottenSoTheNextFlushCarriesOnlyNewEvents() {
        hits.pipeInput("sign_ins|", MetricHit.COUNT, NINE.plusSeconds(1));
        hits.pipeInput("sign_ins|", MetricHit.COUNT, NINE.plusSeconds(2));
        driver.advanceWallClockTime(FLUSH);
        assertThat(partials.readValuesToList()).containsExactly(new Tally(2, 0));

        driver.advanceWallClockTime(FLUSH);
        assertThat(partials.isEmpty()).as("an empty flush sends nothing").isTrue();

        hits.pipeInput("sign_ins|", MetricHit.COUNT, NINE.plusSeconds(3));
        driver.advanceWallClockTime(FLUSH);
        assertThat(partials.readValuesToList()).containsExactly(new Tally(1, 0));
        assertThat(driver.getKeyValueStore("partials").approximateNumEntries()).isZero();
    }

    @Test
    void theRepartitionSerdesStillReadWhatAnOlderVersionWrote() {
        byte[] hit = MetricHit.SERDE.serializer().serialize("t", MetricHit.ATTEMPT_FAILED);
        assertThat(Tally.SERDE.deserializer().deserialize("t", hit)).isEqualTo(new Tally(1, 1));

        HllSketch legacy = ActiveUsers.PARTIAL_SERDE
                .deserializer()
                .deserialize("t", "auth0|alice".getBytes(StandardCharsets.UTF_8));
        assertThat(Math.round(legacy.getEstimate())).isEqualTo(1);
        HllSketch accented = ActiveUsers.PARTIAL_SERDE
                .deserializer()
                .deserialize("t", "élodie@example.com".getBytes(StandardCharsets.UTF_8));
        assertThat(Math.round(accented.getEstimate()))
                .as("a user id starting with a non-ASCII letter")
                .isEqualTo(1);
        HllSketch partial = ActiveUsers.add(ActiveUsers.add(ActiveUsers.empty(), "auth0|bob"), "auth0|carol");
        HllSketch read = ActiveUsers.PARTIAL_SERDE
                .deserializer()
                .deserialize("t", ActiveUsers.PARTIAL_SERDE.serializer().serialize("t", partial));
        assertThat(Math.round(ActiveUsers.merge(legacy, read).getEstimate())).isEqualTo(3);
    }
}
