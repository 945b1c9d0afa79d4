package io.authstream.enrich.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * A file in the ip-location-db layout: one flat record per network ({@code country_code, state1,
 * state2, city, postcode, latitude, longitude, timezone}; the ASN files have
 * {@code autonomous_system_number, autonomous_system_organization}), one file per address family.
 * The family matters: the IPv4 file is an IPv6 tree, and an IPv6 address looked up in it lands on
 * unrelated IPv4 data (2003:e0::1, a Deutsche Telekom address, came back as New York).
 */
final class FlatMmdbFile implements MmdbFile {

    /** The fields read; the decoder fills the ones a record has and leaves the others null. */
    public record Flat(
            @MaxMindDbParameter(name = "country_code") String countryCode,
            @MaxMindDbParameter(name = "state1") String region,
            @MaxMindDbParameter(name = "city") String city,
            @MaxMindDbParameter(name = "latitude") Number latitude,
            @MaxMindDbParameter(name = "longitude") Number longitude,
            @MaxMindDbParameter(name = "timezone") String timeZone,

            @MaxMindDbParameter(name = "autonomous_system_number")
            Number asn,

            @MaxMindDbParameter(name = "autonomous_system_organization")
            String asOrganization) {

        @MaxMindDbConstructor
        public Flat {}
    }

    private final Reader reader;
    private final Family family;
    private final String description;

    private FlatMmdbFile(Reader reader, Family family, String description) {
        this.reader = reader;
        this.family = family;
        this.description = description;
    }

    static FlatMmdbFile open(Path path, Family family, String description) throws IOException {
        // Memory-mapped (the default): the OS pages the file in, the heap holds only the decoded-record cache.
        return new FlatMmdbFile(new Reader(path.toFile(), new CHMCache()), family, description);
    }

    @Override
    public GeoHit lookup(InetAddress address) throws IOException {
        Flat flat = reader.get(address, Flat.class);
        if (flat == null) {
            return GeoHit.NONE;
        }
        return new GeoHit(
                flat.countryCode(),
                null,
                flat.region(),
                flat.city(),
                GeoHit.coordinate(flat.latitude()),
                GeoHit.coordinate(flat.longitude()),
                flat.timeZone(),
                flat.asn() == null ? null : flat.asn().longValue(),
                flat.asOrganization());
    }

    @Override
    public Family family() {
        return family;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
