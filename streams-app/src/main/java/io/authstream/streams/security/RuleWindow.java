package io.authstream.streams.security;

import io.authstream.streams.serde.BinaryStateSerde;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;

/**
 * One subject's recent matching events for one threshold rule, and the incidents they made.
 * Pure: {@link #add} returns the firing, and the caller stores the result.
 *
 * <p>Once a rule fires, the incident stays open while matching events keep coming less than a
 * window apart; they extend it without a new alert (no alert storm for one burst) and are not
 * kept. Events may arrive out of order (late events, many users' events merged by IP): every
 * window the new event can complete is checked, nothing is pruned for being older than the
 * newest event, and a few past incidents are remembered so a late event of an old burst joins
 * it rather than alerting again. Both lists are bounded (oldest dropped first).
 */
public final class RuleWindow {

    /** One matching event: event time, id and the counted value (the id itself when not distinct). */
    public record Evidence(long time, String eventId, String value) {}

    /** The events that crossed the threshold, oldest first, and how many (distinct) they count. */
    public record Firing(List<Evidence> evidence, int count) {}

    /** Event-time span of one alerted burst. */
    record Incident(long start, long end) {}

    static final int MAX_INCIDENTS = 8;
    private static final int FORMAT_V2 = 2;

    private static final Comparator<Evidence> ORDER =
            Comparator.comparingLong(Evidence::time).thenComparing(Evidence::eventId);

    private final List<Evidence> events;
    private final List<Incident> incidents;

    private RuleWindow(List<Evidence> events, List<Incident> incidents) {
        this.events = events;
        this.incidents = incidents;
    }

    public static RuleWindow empty() {
        return new RuleWindow(new ArrayList<>(), new ArrayList<>());
    }

    /** {@link #add(Evidence, int, long, long)} with the incident gap equal to the window. */
    public Optional<Firing> add(Evidence event, int threshold, long window) {
        return add(event, threshold, window, window);
    }

    /**
     * Adds a matching event; returns the firing when it completes {@code threshold} events (or
     * distinct values) less than {@code window} apart that belong to no earlier incident. An
     * event at most {@code gap} from an incident joins it instead; with a gap of zero every
     * firing stands alone.
     */
    public Optional<Firing> add(Evidence event, int threshold, long windowMs, long gap) {
        long window = Math.max(windowMs, 1); // a rule without a window (threshold 1) counts each event alone
        for (int i = 0; i < incidents.size(); i++) {
            Incident incident = incidents.get(i);
            if (event.time() >= incident.start() - gap && event.time() <= incident.end() + gap) {
                incidents.set(
                        i,
                        new Incident(Math.min(incident.start(), event.time()), Math.max(incident.end(), event.time())));
                return Optional.empty();
            }
        }
        events.add(insertionPoint(event), event);
        while (events.size() > Math.max(4 * threshold, 64)) {
            events.remove(0);
        }
        Optional<Firing> firing = firstFiring(events, event.time(), threshold, window);
        firing.ifPresent(f -> openIncident(f.evidence(), gap));
        return firing;
    }

    /**
     * The first window (in the order of its last event) that an event at {@code time} completes:
     * it ends at a kept event no earlier than {@code time} and less than a window after it, and
     * holds the events up to that end less than a window before it, with at least
     * {@code threshold} distinct values. Events are in time order, so a window's events are a run
     * whose start only moves forward as the end does: one pass, counting values as they enter and
     * leave the run.
     */
    static Optional<Firing> firstFiring(List<Evidence> events, long time, int threshold, long window) {
        Map<String, Integer> counts = new HashMap<>();
        int start = 0;
        int counted = 0;
        for (int end = 0; end < events.size(); end++) {
            Evidence last = events.get(end);
            if (last.time() < time) {
                continue;
            }
            if (last.time() >= time + window) {
                break;
            }
            for (; counted <= end; counted++) {
                counts.merge(events.get(counted).value(), 1, Integer::sum);
            }
            for (; start <= end && events.get(start).time() <= last.time() - window; start++) {
                counts.computeIfPresent(events.get(start).value(), (value, n) -> n == 1 ? null : n - 1);
            }
            if (counts.size() >= threshold) {
                return Optional.of(new Firing(List.copyOf(events.subList(start, end + 1)), counts.size()));
            }
        }
        return Optional.empty();
    }

    /** The burst's evidence, and kept events within the gap of it, join the incident (they must not fire it again). */
    private void openIncident(List<Evidence> evidence, long gap) {
        events.removeAll(evidence);
        if (gap <= 0) {
            return;
        }
        long from = evidence.get(0).time();
        long to = evidence.get(evidence.size() - 1).time();
        for (Evidence e : events) {
            if (e.time() >= from - gap && e.time() <= to + gap) {
                from = Math.min(from, e.time());
                to = Math.max(to, e.time());
            }
        }
        long absorbedFrom = from;
        long absorbedTo = to;
        events.removeIf(e -> e.time() >= absorbedFrom && e.time() <= absorbedTo);
        incidents.add(new Incident(from, to));
        incidents.sort(Comparator.comparingLong(Incident::start));
        while (incidents.size() > MAX_INCIDENTS) {
            incidents.remove(0);
        }
    }

    /** Event time after which this window holds nothing that can fire or suppress. */
    public long lastRelevantTime(long window) {
        long last = Long.MIN_VALUE / 2;
        for (Evidence e : events) {
            last = Math.max(last, e.time());
        }
        for (Incident incident : incidents) {
            last = Math.max(last, incident.end());
        }
        return last + window;
    }

    private int insertionPoint(Evidence event) {
        int i = events.size();
        while (i > 0 && ORDER.compare(events.get(i - 1), event) > 0) {
            i--;
        }
        return i;
    }

    /**
     * Compact binary form for the state store (only this application reads it). Version 2 (a
     * leading byte 2) writes strings as length-prefixed UTF-8 and the counted value only when it
     * differs from the event id; this serde runs twice per event and rule, and version 1's
     * {@code writeUTF}/{@code readUTF} and doubled ids were a fifth of the Streams thread's time.
     * Version 1 began with the incident count's high byte, always 0, and is still read.
     */
    public static final Serde<RuleWindow> SERDE = BinaryStateSerde.of(
            (window, out) -> {
                out.writeByte(FORMAT_V2);
                out.writeInt(window.incidents.size());
                for (Incident incident : window.incidents) {
                    out.writeLong(incident.start());
                    out.writeLong(incident.end());
                }
                out.writeInt(window.events.size());
                for (Evidence e : window.events) {
                    out.writeLong(e.time());
                    out.writeText(e.eventId());
                    boolean valueIsId = e.value().equals(e.eventId());
                    out.writeBoolean(valueIsId);
                    if (!valueIsId) {
                        out.writeText(e.value());
                    }
                }
            },
            in -> {
                int first = in.readUnsignedByte();
                boolean v2 = first == FORMAT_V2;
                int incidentCount =
                        v2 ? in.readInt() : first << 24 | in.readUnsignedByte() << 16 | in.readUnsignedShort();
                List<Incident> incidents = new ArrayList<>();
                for (int i = incidentCount; i > 0; i--) {
                    incidents.add(new Incident(in.readLong(), in.readLong()));
                }
                List<Evidence> events = new ArrayList<>();
                for (int i = in.readInt(); i > 0; i--) {
                    long time = in.readLong();
                    if (v2) {
                        String eventId = in.readText();
                        events.add(new Evidence(time, eventId, in.readBoolean() ? eventId : in.readText()));
                    } else {
                        events.add(new Evidence(time, in.readUTF(), in.readUTF()));
                    }
                }
                return new RuleWindow(events, incidents);
            });
}
