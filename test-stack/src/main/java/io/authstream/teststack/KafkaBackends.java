package io.authstream.teststack;

import java.util.Locale;
import java.util.Optional;

/**
 * Picks the test Kafka backend from a system property or, failing that, an environment variable:
 * <ul>
 *   <li>{@code kafka.bootstrap.servers} / {@code AUTHSTREAM_TEST_BOOTSTRAP_SERVERS}: an external
 *       cluster at that address;</li>
 *   <li>{@code kafka.backend=testcontainers} / {@code AUTHSTREAM_TEST_KAFKA_BACKEND=testcontainers}:
 *       Testcontainers' Kafka container (needs Docker);</li>
 *   <li>otherwise, or {@code embedded}: the in-process KRaft broker.</li>
 * </ul>
 */
public final class KafkaBackends {

    public static final String BOOTSTRAP_PROPERTY = "kafka.bootstrap.servers";
    public static final String BOOTSTRAP_ENV = "AUTHSTREAM_TEST_BOOTSTRAP_SERVERS";
    public static final String BACKEND_PROPERTY = "kafka.backend";
    public static final String BACKEND_ENV = "AUTHSTREAM_TEST_KAFKA_BACKEND";

    /** The Kafka image of the Testcontainers backend: the same version as the embedded broker. */
    public static final String TESTCONTAINERS_IMAGE = TestcontainersKafkaBackend.IMAGE;

    private KafkaBackends() {}

    public static KafkaBackend select() {
        Optional<String> bootstrap = setting(BOOTSTRAP_PROPERTY, BOOTSTRAP_ENV);
        if (bootstrap.isPresent()) {
            return new ExternalKafkaBackend(bootstrap.get());
        }
        String backend =
                setting(BACKEND_PROPERTY, BACKEND_ENV).orElse("embedded").toLowerCase(Locale.ROOT);
        return switch (backend) {
            case "embedded" -> new EmbeddedKafkaBackend();
            case "testcontainers" -> new TestcontainersKafkaBackend();
            default ->
                throw new IllegalArgumentException(BACKEND_PROPERTY + " (or " + BACKEND_ENV
                        + ") must be embedded or testcontainers, got: " + backend);
        };
    }

    static Optional<String> setting(String property, String env) {
        return Optional.ofNullable(System.getProperty(property))
                .or(() -> Optional.ofNullable(System.getenv(env)))
                .map(String::trim)
                .filter(s -> !s.isEmpty());
    }
}
