package io.authstream.teststack;

import org.testcontainers.kafka.KafkaContainer;

/**
 * Kafka in a container, for machines with a Docker engine. The image matches the broker version
 * the project builds against, so both backends run the same Kafka.
 */
final class TestcontainersKafkaBackend implements KafkaBackend {

    static final String IMAGE = "apache/kafka:4.3.1";

    private final KafkaContainer container;

    TestcontainersKafkaBackend() {
        container = new KafkaContainer(IMAGE);
        container.start();
    }

    @Override
    public String name() {
        return "testcontainers (" + IMAGE + ")";
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
