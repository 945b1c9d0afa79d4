package io.authstream.streams.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.streams.security.RuleWindow.Evidence;
import io.authstream.streams.security.RuleWindow.Firing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The threshold window in any arrival order: one alert per burst that reaches the threshold, none for the others. */
class RuleWindowProperties {

    private static final long WINDOW = 60_000;
    private static final int THRESHOLD = 5;
    private static final org.apache.kafka.common.serialization.Serde<RuleWindow> SERDE = RuleWindow.SERDE;

    @Property(tries = 300)
    void oneFiringPerBurstThatReachesTheThresholdWhateverTheArrivalOrder(
            @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 14) Integer> burstSizes,
            @ForAll long seed,
            @ForAll boolean roundTripThroughTheStore) {
        List<Evidence> events = new ArrayList<>();
        int expected = 0;
        for (int b = 0; b < burstSizes.size(); b++) {
            long start = b * 3 * WINDOW; // bursts two windows apart never meet
            for (int i = 0; i < burstSizes.get(b); i++) {
                events.add(new Evidence(start + i * (WINDOW / 2 / 14), "b" + b + "-" + i, "b" + b + "-" + i));
            }
            expected += burstSizes.get(b) >= THRESHOLD ? 1 : 0;
        }
        Collections.shuffle(events, new Random(seed));

        RuleWindow window = RuleWindow.empty();
        List<Firing> firings = new ArrayList<>();
        for (Evidence event : events) {
            Optional<Firing> firing = window.add(event, THRESHOLD, WINDOW);
            firing.ifPresent(firings::add);
            if (roundTripThroughTheStore) {
                window =
                        SERDE.deserializer().deserialize("t", SERDE.serializer().serialize("t", window));
            }
        }

        assertThat(firings).hasSize(expected);
        for (Firing firing : firings) {
            List<String> bursts = firing.evidence().stream()
                    .map(e -> e.eventId().substring(0, e.eventId().indexOf('-')))
                    .distinct()
                    .toList();
            assertThat(bursts).as("evidence from one burst").hasSize(1);
            assertThat(firing.count()).isGreaterThanOrEqualTo(THRESHOLD);
        }
        assertThat(firings.stream()
                        .map(f -> f.evidence().get(0).eventId().substring(0, 2))
                        .distinct())
                .hasSize(expected);
    }
}
