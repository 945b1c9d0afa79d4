package io.authstream.enrich;

import io.authstream.enrich.device.DeviceParser;
import io.authstream.enrich.geo.GeoIpLookup;
import io.authstream.enrich.geo.GeoOutcome;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.DeviceInfo;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Adds geo and device to an {@link AuthEvent}: the payload's location (Auth0 {@code location_info})
 * is kept as is, else the IP is looked up in the MMDB files; the user agent is parsed into a
 * device. A given database and parser version always give the same output for the same event, so
 * a replay enriches exactly as the first run did. Thread-safe; one instance per app, closed with it.
 */
public final class Enricher implements AutoCloseable {

    /** Attribute naming where the event's geo came from. */
    public static final String GEO_SOURCE = "geo_source";
    /** {@code geo_source} of a location found by the lookup. */
    public static final String GEOIP = "geoip";
    /** {@code geo_source} of a payload location whose normaliser did not name its origin. */
    public static final String PAYLOAD = "payload";
    /** Attribute naming the database(s) a looked-up location came from (type and build date). */
    public static final String GEO_DATABASE = "geo_database";

    private final Optional<GeoIpLookup> geo;
    private final Optional<DeviceParser> devices;

    public Enricher(Optional<GeoIpLookup> geo, Optional<DeviceParser> devices) {
        // It builds generated records, which Avro allows only for trusted packages.
        GeneratedClasses.trust();
        this.geo = geo;
        this.devices = devices;
    }

    /** Opens the databases and builds the parser the settings name (seconds, for the parser). */
    public static Enricher open(EnrichmentSettings settings) {
        Optional<GeoIpLookup> geo = settings.geoIpDatabases().isEmpty()
                ? Optional.empty()
                : Optional.of(GeoIpLookup.open(settings.geoIpDatabases()));
        try {
            Optional<DeviceParser> devices = settings.parseUserAgents()
                    ? Optional.of(DeviceParser.create(settings.userAgentCacheSize()))
                    : Optional.empty();
            return new Enricher(geo, devices);
        } catch (RuntimeException e) {
            geo.ifPresent(GeoIpLookup::close);
            throw e;
        }
    }

    /** An enricher that changes nothing (both parts off). */
    public static Enricher off() {
        return new Enricher(Optional.empty(), Optional.empty());
    }

    public Enrichment enrich(AuthEvent event) {
        GeoOutcome outcome;
        GeoIpLookup.Result located = null;
        if (event.getGeo() != null) {
            outcome = GeoOutcome.PAYLOAD;
        } else if (geo.isEmpty()) {
            outcome = GeoOutcome.OFF;
        } else {
            GeoIpLookup.Result result = geo.get().lookup(event.getIp());
            outcome = result.outcome();
            if (outcome == GeoOutcome.LOCATED) {
                located = result;
            }
        }
        DeviceInfo device =
                event.getDevice() == null && devices.isPresent() ? devices.get().parse(event.getUserAgent()) : null;
        boolean namePayloadSource =
                outcome == GeoOutcome.PAYLOAD && !event.getAttributes().containsKey(GEO_SOURCE);
        if (located == null && device == null && !namePayloadSource) {
            return new Enrichment(event, outcome, false);
        }
        AuthEvent.Builder enriched = AuthEvent.newBuilder(event);
        Map<String, String> attributes = new TreeMap<>(event.getAttributes());
        if (located != null) {
            enriched.setGeo(located.hit().toGeoLocation());
            attributes.put(GEO_SOURCE, GEOIP);
            attributes.put(GEO_DATABASE, located.source());
        } else if (namePayloadSource) {
            attributes.put(GEO_SOURCE, PAYLOAD);
        }
        if (device != null) {
            enriched.setDevice(device);
        }
        return new Enrichment(enriched.setAttributes(attributes).build(), outcome, device != null);
    }

    /** What is on, for the start-up line: the files and their build dates, the parser's cache. */
    public String describe() {
        return "geo " + geo.map(GeoIpLookup::describe).orElse("off") + "; user agents "
                + devices.map(d -> "parsed (cache " + d.cacheSize() + ")").orElse("off");
    }

    @Override
    public void close() {
        geo.ifPresent(GeoIpLookup::close);
    }
}
