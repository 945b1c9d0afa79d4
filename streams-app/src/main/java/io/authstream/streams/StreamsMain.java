package io.authstream.streams;

import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;

/** Runs the topology from environment settings until SIGTERM/Ctrl-C, then closes cleanly. */
public final class StreamsMain {

    private StreamsMain() {}

    public static void main(String[] args) throws InterruptedException {
        StreamsAppConfig config;
        try {
            config = StreamsAppConfig.fromEnvironment(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        GeneratedClasses.trust();
        KafkaStreams streams = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }, "streams-shutdown"));
        stopped.await();
    }

    /** Builds and starts the application; the caller closes it. */
    public static KafkaStreams start(StreamsAppConfig config) {
        AuthTopology.Serdes serdes = new AuthTopology.Serdes(
                AvroSerde.forValues(AuthEvent.class, config.serdeConfig()),
                AvroSerde.forValues(UserProfile.class, config.serdeConfig()),
                AvroSerde.forValues(Notification.class, config.serdeConfig()));
        KafkaStreams streams = new KafkaStreams(AuthTopology.build(config.topology(), serdes), config.streamsProperties());
        streams.start();
        return streams;
    }
}
