package io.authstream.streams;

import io.authstream.enrich.testing.TestDatabases;
import io.authstream.streams.order.DedupAndReorderTest;
import io.authstream.streams.security.SecuritySettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Properties;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.serde.StateAvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The production topology in a TopologyTestDriver, with its own state directory and the wall clock
 * at T0, enriching with the real DB-IP database and user agent parser (one per test JVM).
 */
public final class TestDrivers {

    private TestDrivers() {}

    public static TopologyTestDriver start(String applicationId, Duration grace) {
        return start(applicationId, new AuthTopology.Settings(Duration.ofHours(24), grace, Duration.ofSeconds(1),
                SecuritySettings.defaults(), Duration.ofDays(1)));
    }

    public static TopologyTestDriver start(String applicationId, AuthTopology.Settings settings) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(applicationId).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TopologyTestDriver(AuthTopology.build(settings, DedupAndReorderTest.SERDES, TestDatabases.sharedEnricher()),
                props, DedupAndReorderTest.T0);
    }

    /** The raw input topic, values in plain Avro as the test serdes write them. */
    public static TestInputTopic<String, AuthEvent> raw(TopologyTestDriver driver) {
        return driver.createInputTopic(Topics.AUTH_EVENTS_RAW.name(), new StringSerializer(),
                new StateAvroSerde<>(AuthEvent.class).serializer());
    }

    /** An output topic of the catalogue, values in plain Avro as the test serdes write them. */
    public static <V extends SpecificRecord> TestOutputTopic<String, V> output(TopologyTestDriver driver, String topic,
            Class<V> type) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new StateAvroSerde<>(type).deserializer());
    }
}
