package io.authstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Analytics windows live in stores backed by changelogs: what a task counted survives the task moving. */
@ExtendWith(StackExtension.class)
class AnalyticsRestoreIT {

    private static final Instant DAY = Instant.parse("2025-06-01T00:00:00Z");
    private static final int PROVIDERS = 30;

    private final TestStack stack;

    AnalyticsRestoreIT(TestStack stack) {
        this.stack = stack;
    }

    /**
     * A day counted by one instance, then a second one joins and takes over some of the tasks,
     * restoring their windows from the changelogs: both answer every metric with the same counts.
     */
    @Test
    void countsSurviveTheirTasksMovingToAnInstanceThatJoins() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String applicationId = "analytics-join-" + run;
        Instant day = DAY.plus(Duration.ofDays(3));
        List<AuthEvent> events = new ArrayList<>();
        for (int p = 0; p < PROVIDERS; p++) {
            Instant at = day.plusSeconds(36_000 + p * 10L);
            events.add(AuthEvent.newBuilder(SampleEvents.full())
                    .setEventId(run + "-" + p)
                    .setUserId("auth0|" + run + "-" + p)
                    .setType("user.signed_in")
                    .setOutcome(Outcome.SUCCESS)
                    .setProvider("idp-" + run + "-" + p)
                    .setOccurredAt(at)
                    .setReceivedAt(at)
                    .build());
        }
        try (StreamsApp a = StreamsApp.start(AnalyticsProbe.config(stack, applicationId))) {
            AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(stack.serdeConfig(), false);
            stack.produce(Topics.AUTH_EVENTS_RAW.name(), (topic, event) -> serializer.serialize(topic, event), events);
            String activeUsers = "/analytics/active_users?granularity=day&from=" + day + "&to=" + day;
            AnalyticsProbe.awaitCount(a, activeUsers, PROVIDERS);
            try (StreamsApp b = StreamsApp.start(AnalyticsProbe.config(stack, applicationId))) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (!(b.streams().state() == KafkaStreams.State.RUNNING
                                && a.streams().state() == KafkaStreams.State.RUNNING
                                && !b.streams().metadataForLocalThreads().stream()
                                        .allMatch(thread -> thread.activeTasks().isEmpty()))
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                assertThat(b.streams().metadataForLocalThreads())
                        .as("the joining instance took tasks over")
                        .anyMatch(thread -> !thread.activeTasks().isEmpty());
                for (StreamsApp asked : List.of(a, b)) {
                    for (int p = 0; p < PROVIDERS; p++) {
                        AnalyticsProbe.awaitCount(
                                asked,
                                "/analytics/sign_ins?granularity=day&from=" + day + "&to=" + day
                                        + "&dimension=provider%3Didp-" + run + "-" + p,
                                1,
                                () -> AnalyticsProbe.diagnostics(stack, applicationId, a, b));
                    }
                    AnalyticsProbe.awaitCount(asked, activeUsers, PROVIDERS);
                }
            }
        }
    }
}
