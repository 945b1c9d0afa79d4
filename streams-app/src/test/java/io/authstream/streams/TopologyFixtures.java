package io.authstream.streams;

import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.streams.serde.StateAvroSerde;
import java.time.Duration;
import java.time.Instant;

/** What the topology tests share: their clock's start, the reorder grace, the serdes and the events they send. */
public final class TopologyFixtures {

    /** Where the tests' event times and the driver's wall clock start. */
    public static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    public static final Duration GRACE = Duration.ofSeconds(5);
    public static final StateAvroSerde<AuthEvent> EVENTS = new StateAvroSerde<>(AuthEvent.class);
    /** Plain Avro serdes stand in for the registry-backed ones, which are tested against the real registry. */
    public static final AuthTopology.Serdes SERDES = new AuthTopology.Serdes(
            EVENTS,
            new StateAvroSerde<>(UserProfile.class),
            new StateAvroSerde<>(Notification.class),
            new StateAvroSerde<>(SecurityAlert.class),
            new StateAvroSerde<>(AnalyticsRollup.class));

    private TopologyFixtures() {}

    /** An event of {@code user}, received the moment it happened, {@code secondsAfterT0} after T0. */
    public static AuthEvent event(String id, String user, long secondsAfterT0) {
        return AuthEvent.newBuilder(SampleEvents.minimal())
                .setEventId(id)
                .setUserId(user)
                .setOccurredAt(T0.plusSeconds(secondsAfterT0))
                .setReceivedAt(T0.plusSeconds(secondsAfterT0))
                .build();
    }
}
