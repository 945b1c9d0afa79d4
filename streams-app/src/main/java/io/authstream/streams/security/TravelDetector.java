package io.authstream.streams.security;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.Severity;
import io.authstream.streams.security.SignInHistory.Located;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Location rules on a user's successful sign-ins (the ordered stream, keyed by user id):
 * impossible travel — two sign-ins whose great-circle distance over the time between them needs
 * more than the configured speed, ignoring short distances and sign-ins without coordinates —
 * and a sign-in from a country the user has not used, once enough sign-ins taught the usual ones.
 */
public final class TravelDetector implements Processor<String, AuthEvent, String, SecurityAlert> {

    /** The travel detectors are code, not rule files; their alerts carry this as {@code rule_version}. */
    static final String TRAVEL_RULES_VERSION = "1";

    public static final String STORE = "security-sign-in-history";
    public static final String IMPOSSIBLE_TRAVEL = "impossible-travel";
    public static final String NEW_COUNTRY = "new-country";

    private static final double EARTH_RADIUS_KM = 6371.0088;

    private final SecuritySettings settings;
    private ProcessorContext<String, SecurityAlert> context;
    private KeyValueStore<String, SignInHistory> histories;

    private TravelDetector(SecuritySettings settings) {
        this.settings = settings;
    }

    public static ProcessorSupplier<String, AuthEvent, String, SecurityAlert> supplier(SecuritySettings settings) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AuthEvent, String, SecurityAlert> get() {
                return new TravelDetector(settings);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(STORE), Serdes.String(), SignInHistory.SERDE));
            }
        };
    }

    @Override
    public void init(ProcessorContext<String, SecurityAlert> context) {
        this.context = context;
        this.histories = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, AuthEvent> record) {
        AuthEvent event = record.value();
        GeoLocation geo = event.getGeo();
        if (event.getUserId() == null
                || geo == null
                || !"user.signed_in".equals(event.getType())
                || event.getOutcome() != Outcome.SUCCESS) {
            return;
        }
        SignInHistory history =
                Optional.ofNullable(histories.get(event.getUserId())).orElseGet(SignInHistory::empty);
        long time = event.getOccurredAt().toEpochMilli();
        if (geo.getCountryCode() != null) {
            List<String> known = history.countries().stream().sorted().toList();
            boolean learned = history.signInsWithCountry() >= settings.newCountryLearningSignIns();
            if (history.addCountry(geo.getCountryCode()) && learned) {
                emit(
                        record,
                        Alerts.alert(
                                NEW_COUNTRY,
                                Severity.MEDIUM,
                                event.getUserId(),
                                event.getIp(),
                                time,
                                time,
                                "sign-in of " + event.getUserId() + " from a new country, " + geo.getCountryCode()
                                        + " (known: " + String.join(", ", known) + ")",
                                List.of(event.getEventId()),
                                Map.of(
                                        "country",
                                        geo.getCountryCode(),
                                        "known_countries",
                                        String.join(",", known),
                                        "rule_version",
                                        TRAVEL_RULES_VERSION)));
            }
        }
        if (geo.getLatitude() != null && geo.getLongitude() != null) {
            Located here = new Located(
                    time,
                    event.getEventId(),
                    event.getIp(),
                    geo.getCountryCode(),
                    geo.getLatitude(),
                    geo.getLongitude());
            for (Located other : history.neighbours(time)) {
                impossibleTravel(other, here, event.getUserId()).ifPresent(alert -> emit(record, alert));
            }
            history.addLocated(here);
        }
        histories.put(event.getUserId(), history);
    }

    private Optional<SecurityAlert> impossibleTravel(Located a, Located b, String userId) {
        Located first = a.time() <= b.time() ? a : b;
        Located second = first == a ? b : a;
        double km = distanceKm(first, second);
        if (km < settings.impossibleTravelMinKm()) {
            return Optional.empty();
        }
        double hours = (second.time() - first.time()) / 3_600_000.0;
        double kmh = hours == 0 ? Double.POSITIVE_INFINITY : km / hours;
        if (kmh <= settings.impossibleTravelKmh()) {
            return Optional.empty();
        }
        Map<String, String> attributes = new HashMap<>();
        attributes.put("rule_version", TRAVEL_RULES_VERSION);
        attributes.put("distance_km", String.format(java.util.Locale.ROOT, "%.0f", km));
        attributes.put(
                "speed_kmh", Double.isInfinite(kmh) ? "infinite" : String.format(java.util.Locale.ROOT, "%.0f", kmh));
        attributes.put("threshold_kmh", String.format(java.util.Locale.ROOT, "%.0f", settings.impossibleTravelKmh()));
        if (first.country() != null && second.country() != null) {
            attributes.put("countries", first.country() + "->" + second.country());
        }
        return Optional.of(Alerts.alert(
                IMPOSSIBLE_TRAVEL,
                Severity.HIGH,
                userId,
                second.ip(),
                first.time(),
                second.time(),
                String.format(
                        java.util.Locale.ROOT,
                        "sign-ins of %s %.0f km apart within %.1f min (%s km/h)",
                        userId,
                        km,
                        hours * 60,
                        attributes.get("speed_kmh")),
                List.of(first.eventId(), second.eventId()),
                attributes));
    }

    /** Great-circle distance (haversine, mean Earth radius). */
    static double distanceKm(Located a, Located b) {
        double dLat = Math.toRadians(b.latitude() - a.latitude());
        double dLon = Math.toRadians(b.longitude() - a.longitude());
        double h = Math.pow(Math.sin(dLat / 2), 2)
                + Math.cos(Math.toRadians(a.latitude()))
                        * Math.cos(Math.toRadians(b.latitude()))
                        * Math.pow(Math.sin(dLon / 2), 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    private void emit(Record<String, AuthEvent> cause, SecurityAlert alert) {
        context.forward(new Record<>(Alerts.key(alert), alert, cause.timestamp()));
    }
}
