package io.authstream.opscli;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Which dead letters a command takes: any of the reasons (codes) and any of the sources given
 * (none given: all), dead-lettered at or after {@code since} (null: any time).
 */
record DeadLetterFilter(List<String> reasons, List<String> sources, Instant since) {

    DeadLetterFilter {
        reasons = reasons == null
                ? List.of()
                : reasons.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).toList();
        sources = sources == null ? List.of() : List.copyOf(sources);
    }

    boolean matches(DeadLetterRecord deadLetter) {
        return (reasons.isEmpty() || reasons.contains(deadLetter.code().toLowerCase(Locale.ROOT)))
                && (sources.isEmpty() || sources.contains(deadLetter.source()))
                && (since == null || !deadLetter.timestamp().isBefore(since));
    }
}
