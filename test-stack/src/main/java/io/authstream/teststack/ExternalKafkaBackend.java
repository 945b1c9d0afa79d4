package io.authstream.teststack;

/** A cluster someone else runs; tests only connect to it (and create the topics they need). */
record ExternalKafkaBackend(String bootstrapServers) implements KafkaBackend {

    @Override
    public String name() {
        return "external (" + bootstrapServers + ")";
    }

    @Override
    public void close() {}
}
