package io.authstream.streams.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.streams.security.RuleWindow.Evidence;
import io.authstream.streams.security.RuleWindow.Firing;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link RuleWindow#firstFiring}'s one pass finds what the definition finds written out: for
 * each kept event from the new one's time to a window later, in order, the events up to it less
 * than a window before it, the first with enough distinct values.
 */
class RuleWindowFiringProperties {

    @Property(tries = 2000)
    void theOnePassFindsTheFirstWindowTheDefinitionFinds(@ForAll long seed) {
        Random random = new Random(seed);
        long window = 1 + random.nextInt(100);
        int threshold = 1 + random.nextInt(6);
        List<Evidence> events = new ArrayList<>();
        int count = random.nextInt(40);
        for (int i = 0; i < count; i++) {
            // times clustered so that windows overlap; values repeat so that distinct counting matters
            events.add(new Evidence(random.nextInt(300), "e" + i, "v" + random.nextInt(1 + random.nextInt(8))));
        }
        events.sort(Comparator.comparingLong(Evidence::time).thenComparing(Evidence::eventId));
        long time = random.nextInt(300);

        assertThat(RuleWindow.firstFiring(events, time, threshold, window))
                .isEqualTo(byDefinition(events, time, threshold, window));
    }

    private static Optional<Firing> byDefinition(List<Evidence> events, long time, int threshold, long window) {
        for (int end = 0; end < events.size(); end++) {
            Evidence last = events.get(end);
            if (last.time() < time || last.time() >= time + window) {
                continue;
            }
            List<Evidence> inWindow = new ArrayList<>();
            Set<String> values = new HashSet<>();
            for (int i = 0; i <= end; i++) {
                Evidence e = events.get(i);
                if (e.time() > last.time() - window) {
                    inWindow.add(e);
                    values.add(e.value());
                }
            }
            if (values.size() >= threshold) {
                return Optional.of(new Firing(List.copyOf(inWindow), values.size()));
            }
        }
        return Optional.empty();
    }
}
