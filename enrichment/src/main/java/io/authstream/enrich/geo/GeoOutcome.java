package io.authstream.enrich.geo;

/** What became of one event's geo: counted per outcome, so a database that misses much shows up in the metrics. */
public enum GeoOutcome {
    /** The payload had a location (Auth0 location_info): kept, no lookup. */
    PAYLOAD,
    /** The lookup found a place or network. */
    LOCATED,
    /** A public address the databases do not know. */
    NOT_FOUND,
    /** Private, loopback, link-local, shared, documentation, multicast or reserved: no place to find. */
    NOT_PUBLIC,
    /** Not an IP address literal. */
    MALFORMED,
    /** The event has no IP. */
    NO_IP,
    /** A database file failed to answer (e.g. replaced while open). */
    LOOKUP_FAILED,
    /** No geolocation database configured. */
    OFF;

    /** Lower-case label for metrics, e.g. {@code not_public}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
