package io.authstream.streams.security;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Severity;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * "At least {@code threshold} matching events (or distinct values of them) for one subject within
 * {@code window} of event time" — the shape of most detection rules.
 *
 * @param id rule id on the alert, e.g. {@code brute-force}
 * @param matches which events count
 * @param subject what is counted per (user, ip, ip+account); empty skips the event
 * @param distinct when present, distinct values are counted instead of events
 * @param summary sentence template: {@code %d} the count, {@code %s} the subject's label, {@code %s} the window
 */
public record ThresholdRule(
        String id,
        Severity severity,
        Predicate<AuthEvent> matches,
        Function<AuthEvent, Optional<Subject>> subject,
        Optional<Function<AuthEvent, String>> distinct,
        int threshold,
        Duration window,
        String summary) {

    /** Who an alert is about; {@code key} tells one subject from another within the rule, {@code label} names it in the summary. */
    public record Subject(String key, String userId, String ip, String label) {}

    /** e.g. {@code brute-force>=10/PT1H}, {@code multi-ip-sign-in>=3 distinct/PT10M}. */
    @Override
    public String toString() {
        return id + ">=" + threshold + (distinct.isPresent() ? " distinct" : "") + "/" + window;
    }

    public ThresholdRule withLimits(int newThreshold, Duration newWindow) {
        return new ThresholdRule(id, severity, matches, subject, distinct, newThreshold, newWindow, summary);
    }
}
