package io.authstream.streams.rules;

import io.authstream.schemas.avro.AuthEvent;
import java.util.List;
import java.util.OptionalInt;

/**
 * One test case of a rule: events in (as AuthEvents, event times resolved), and whether the rule
 * must alert.
 *
 * @param name what the case shows, e.g. "disabling brute-force protection alerts"
 * @param events the events, in the order the file lists them (repeats expanded)
 * @param expectAlert true for {@code expect: alert}, false for {@code expect: none}
 * @param alerts how many alerts exactly, when the case says ({@code alerts: 2})
 */
public record RuleTestCase(String name, List<AuthEvent> events, boolean expectAlert, OptionalInt alerts) {

    public RuleTestCase {
        events = List.copyOf(events);
    }
}
