package io.authstream.streams;

import io.authstream.enrich.testing.TestDatabases;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.deadletter.DeadLetterOnDeserializationError;
import io.authstream.streams.deadletter.DeadLetterOnProcessingError;
import io.authstream.streams.deadletter.DeadLetterOnProductionError;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import io.authstream.streams.security.SecuritySettings;
import io.authstream.streams.serde.StateAvroSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The production topology in a TopologyTestDriver, with its own state directory and the wall clock
 * at T0, enriching with the real DB-IP database and user agent parser (one per test JVM).
 */
public final class TestDrivers {

    private TestDrivers() {}

    public static TopologyTestDriver start(String applicationId, Duration grace) {
        return start(
                applicationId,
                new AuthTopology.Settings(
                        Duration.ofHours(24),
                        grace,
                        Duration.ofSeconds(1),
                        SecuritySettings.defaults(),
                        EventTimeBounds.defaults(),
                        EventLimits.defaults(),
                        Duration.ofSeconds(1)));
    }

    /**
     * Moves the wall clock past the reorder grace, which releases every buffered event, and then by
     * the analytics flush interval, which sends the partials those events made: afterwards the
     * outputs and stores hold everything piped so far.
     */
    public static void releaseAll(TopologyTestDriver driver) {
        driver.advanceWallClockTime(TopologyFixtures.GRACE.plusSeconds(1));
        driver.advanceWallClockTime(AuthTopology.Settings.defaults().analyticsFlush());
    }

    public static TopologyTestDriver start(String applicationId, AuthTopology.Settings settings) {
        return start(applicationId, settings, Clock.systemUTC());
    }

    /**
     * With the exception handlers production configures, writing dead letters to the
     * dead-letter topic; the input guard checks times against {@code clock}.
     */
    public static TopologyTestDriver start(String applicationId, AuthTopology.Settings settings, Clock clock) {
        StreamsDeadLetters deadLetters = new StreamsDeadLetters(clock);
        Properties props = new Properties();
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterOnDeserializationError.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProcessingError.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterOnProductionError.class.getName());
        @SuppressWarnings("deprecation") // as in StreamsAppConfig, until Kafka Streams 5.0
        String globalHandler = StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
        props.put(globalHandler, true);
        props.put(StreamsDeadLetters.CONFIG, deadLetters);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(
                    StreamsConfig.STATE_DIR_CONFIG,
                    Files.createTempDirectory(applicationId).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TopologyTestDriver driver = new TopologyTestDriver(
                AuthTopology.build(
                        settings, TopologyFixtures.SERDES, TestDatabases.sharedEnricher(), deadLetters, clock),
                props,
                TopologyFixtures.T0);
        DEAD_LETTERS.put(driver, deadLetters);
        return driver;
    }

    private static final java.util.Map<TopologyTestDriver, StreamsDeadLetters> DEAD_LETTERS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The dead-letter memory {@code driver}'s topology and handlers share. */
    public static StreamsDeadLetters deadLetters(TopologyTestDriver driver) {
        return DEAD_LETTERS.get(driver);
    }

    /** The raw input topic, values in plain Avro as the test serdes write them. */
    public static TestInputTopic<String, AuthEvent> raw(TopologyTestDriver driver) {
        return driver.createInputTopic(
                Topics.AUTH_EVENTS_RAW.name(),
                new StringSerializer(),
                new StateAvroSerde<>(AuthEvent.class).serializer());
    }

    /** An output topic of the catalogue, values in plain Avro as the test serdes write them. */
    public static <V extends SpecificRecord> TestOutputTopic<String, V> output(
            TopologyTestDriver driver, String topic, Class<V> type) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new StateAvroSerde<>(type).deserializer());
    }
}
