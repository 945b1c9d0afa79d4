package io.authstream.teststack;

/**
 * Where the test stack's Kafka comes from. Chosen once per test JVM by {@link KafkaBackends#select()}.
 */
public interface KafkaBackend extends AutoCloseable {

    String name();

    String bootstrapServers();

    /** Whether {@link #stop()} and {@link #restart()} work (only the embedded broker can be stopped from here). */
    default boolean canStop() {
        return false;
    }

    /** Stops the broker, keeping its data, to test what clients do while Kafka is down. */
    default void stop() {
        throw new UnsupportedOperationException(name() + " Kafka cannot be stopped from a test");
    }

    /** Starts a stopped broker again on the same address and data. */
    default void restart() {
        throw new UnsupportedOperationException(name() + " Kafka cannot be restarted from a test");
    }

    @Override
    void close();
}
