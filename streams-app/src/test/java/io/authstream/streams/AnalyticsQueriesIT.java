package io.authstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.schemas.testing.SampleEvents;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances of the Streams app share the partitions; either answers any analytics query,
 * from its own stores or by asking the instance that holds the metric.
 */
@ExtendWith(StackExtension.class)
class AnalyticsQueriesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Instant DAY = Instant.parse("2025-06-01T00:00:00Z");
    private static final int PROVIDERS = 30;

    private final TestStack stack;

    AnalyticsQueriesIT(TestStack stack) {
        this.stack = stack;
    }

    private StreamsAppConfig config(String applicationId) throws Exception {
        return AnalyticsProbe.config(stack, applicationId);
    }

    @Test
    void eitherInstanceAnswersEveryMetricFromWhereverItLives() throws Exception {
        stack.createTopics(Topics.ALL, 3);
        String run = UUID.randomUUID().toString().substring(0, 8);
        String applicationId = "analytics-it-" + run;
        // Provider i gets i % 3 + 1 sign-ins of distinct users: 30 keys spread over the partitions.
        List<AuthEvent> events = new ArrayList<>();
        Map<String, Integer> expected = new HashMap<>();
        for (int p = 0; p < PROVIDERS; p++) {
            String provider = "idp-" + run + "-" + p;
            for (int n = 0; n <= p % 3; n++) {
                String user = "auth0|" + run + "-" + p + "-" + n;
                Instant at = DAY.plusSeconds(36_000 + p * 10L + n);
                events.add(AuthEvent.newBuilder(SampleEvents.full())
                        .setEventId(run + "-" + p + "-" + n)
                        .setUserId(user)
                        .setType("user.signed_in")
                        .setOutcome(Outcome.SUCCESS)
                        .setProvider(provider)
                        .setOccurredAt(at)
                        .setReceivedAt(at)
                        .build());
                expected.merge(provider, 1, Integer::sum);
            }
        }

        try (StreamsApp a = StreamsApp.start(config(applicationId));
                StreamsApp b = StreamsApp.start(config(applicationId))) {
            AvroSerializer<AuthEvent> serializer = new AvroSerializer<>(stack.serdeConfig(), false);
            stack.produce(Topics.AUTH_EVENTS_RAW.name(), (topic, event) -> serializer.serialize(topic, event), events);

            Set<String> servedBy = new HashSet<>();
            for (Map.Entry<String, Integer> provider : expected.entrySet()) {
                JsonNode answer = AnalyticsProbe.awaitCount(
                        a,
                        "/analytics/sign_ins?granularity=day&from=" + DAY + "&to=" + DAY + "&dimension=provider%3D"
                                + provider.getKey(),
                        provider.getValue());
                assertThat(answer.get("dimension").asText()).isEqualTo("provider=" + provider.getKey());
                assertThat(answer.get("rollups").get(0).get("windowStart").asText())
                        .isEqualTo(DAY.toString());
                servedBy.add(answer.get("servedBy").asText());
            }
            assertThat(servedBy)
                    .as("answers came from both instances, through the one asked")
                    .hasSize(2);

            // The daily distinct-users sketch lives on one instance; ask the other one too.
            for (StreamsApp asked : List.of(a, b)) {
                JsonNode active = AnalyticsProbe.awaitCount(
                        asked,
                        "/analytics/active_users?granularity=day&from=" + DAY + "&to=" + DAY,
                        events.size(),
                        () -> AnalyticsProbe.diagnostics(stack, applicationId, a, b));
                assertThat(active.get("rollups").get(0).get("relativeError").asDouble())
                        .isLessThan(0.001);
            }

            HttpResponse<String> bad = AnalyticsProbe.get(a, "/analytics/sign_ins?granularity=week");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("granularity of sign_ins must be one of [hour, day], got 'week'");
            HttpResponse<String> unknown = AnalyticsProbe.get(b, "/analytics/logins");
            assertThat(unknown.statusCode()).isEqualTo(400);
            assertThat(unknown.body()).contains("unknown metric 'logins'");
        }
    }
}
