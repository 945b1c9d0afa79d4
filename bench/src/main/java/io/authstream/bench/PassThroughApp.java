package io.authstream.bench;

import io.authstream.schemas.Topics;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The topology benchmark's baseline: Kafka Streams copying auth.events.raw to another topic as
 * bytes, with the Streams app's guarantees (exactly-once v2, its default commit interval, one
 * stream thread). What it costs is what Kafka Streams costs; the rest is our topology.
 *
 * <p>Arguments: bootstrapServers applicationId stateDir outputTopic
 */
public final class PassThroughApp {

    static final String READY = "pass-through running";

    private PassThroughApp() {}

    public static void main(String[] args) throws InterruptedException {
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, args[2]);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.AUTH_EVENTS_RAW.name(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .to(args[3], Produced.with(Serdes.String(), Serdes.ByteArray()));
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(30));
            stopped.countDown();
        }));
        streams.start();
        System.out.println(READY);
        stopped.await();
    }
}
