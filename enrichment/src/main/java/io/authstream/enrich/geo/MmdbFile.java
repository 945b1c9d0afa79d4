package io.authstream.enrich.geo;

import com.maxmind.db.InvalidDatabaseException;
import com.maxmind.db.Metadata;
import com.maxmind.db.Reader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;

/**
 * One MMDB file opened for lookups. Two layouts are read: MaxMind's GeoIP2 layout (GeoLite2 /
 * GeoIP2 City, Country and ASN files, DB-IP's own downloads) through the geoip2 reader, and the
 * flat layout of the ip-location-db packages ({@code country_code, state1, city, latitude, ...},
 * database type {@code "<kind> ipv4"} or {@code "<kind> ipv6"}), of which the default DB-IP City
 * Lite is one.
 */
public sealed interface MmdbFile extends Closeable permits GeoIp2File, FlatMmdbFile {

    /** Which addresses a file answers for. */
    enum Family {
        IPV4,
        IPV6,
        BOTH
    }

    /** The place and/or network the file has for {@code address} (not a special-purpose one), or NONE. */
    GeoHit lookup(InetAddress address) throws IOException;

    Family family();

    /** Database type and build date, e.g. {@code city ipv4 2026-06-05}: which data an enriched event came from. */
    String describe();

    default boolean serves(InetAddress address) {
        return family() == Family.BOTH || (family() == Family.IPV4) == (address instanceof Inet4Address);
    }

    @Override
    void close() throws IOException;

    /**
     * Opens a file, choosing the layout from its metadata.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it: missing, not
     *     readable, not an MMDB, or a database type neither layout knows
     */
    static MmdbFile open(Path path) {
        Metadata metadata = metadata(path);
        try {
            String type = metadata.databaseType();
            String description =
                    type + " " + metadata.buildTime().atOffset(ZoneOffset.UTC).toLocalDate();
            String lower = type.toLowerCase(Locale.ROOT);
            if (lower.endsWith(" ipv4") || lower.endsWith(" ipv6")) {
                return FlatMmdbFile.open(path, lower.endsWith(" ipv4") ? Family.IPV4 : Family.IPV6, description);
            }
            Optional<GeoIp2File.Kind> kind = GeoIp2File.Kind.of(type);
            if (kind.isEmpty()) {
                throw new IllegalArgumentException(path + " is an MMDB of type '" + type
                        + "', which has no place or network the enrichment can read (City, Country or ASN databases in"
                        + " MaxMind's layout, or the ip-location-db '<kind> ipv4|ipv6' files)");
            }
            return GeoIp2File.open(
                    path, kind.get(), metadata.ipVersion() == 4 ? Family.IPV4 : Family.BOTH, description);
        } catch (IOException e) {
            throw new UncheckedIOException(path + " could not be read: " + e.getMessage(), e);
        }
    }

    private static Metadata metadata(Path path) {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + " does not exist");
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IllegalArgumentException(path + " is not a readable file");
        }
        try (Reader reader = new Reader(path.toFile())) {
            return reader.getMetadata();
        } catch (InvalidDatabaseException e) {
            throw new IllegalArgumentException(path + " is not an MMDB file (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(path + " could not be read as an MMDB file: " + e, e);
        }
    }
}
