package io.authstream.enrich.geo;

import com.maxmind.db.CHMCache;
import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.AsnResponse;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import com.maxmind.geoip2.record.Country;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** A file in MaxMind's GeoIP2 layout (GeoLite2 / GeoIP2 City, Country, ASN; DB-IP's own MMDB downloads), read with geoip2. */
final class GeoIp2File implements MmdbFile {

    /** What a GeoIP2-layout file holds, from its database type. */
    enum Kind {
        CITY,
        COUNTRY,
        ASN;

        static Optional<Kind> of(String databaseType) {
            String type = databaseType.toLowerCase(Locale.ROOT);
            // Enterprise and City files answer city queries; ISP files carry the ASN fields too but are read as ASN.
            if (type.contains("city") || type.contains("enterprise")) {
                return Optional.of(CITY);
            }
            if (type.contains("country")) {
                return Optional.of(COUNTRY);
            }
            if (type.contains("asn")) {
                return Optional.of(ASN);
            }
            return Optional.empty();
        }
    }

    private static final List<String> ENGLISH = List.of("en");

    private final DatabaseReader reader;
    private final Kind kind;
    private final Family family;
    private final String description;

    private GeoIp2File(DatabaseReader reader, Kind kind, Family family, String description) {
        this.reader = reader;
        this.kind = kind;
        this.family = family;
        this.description = description;
    }

    static GeoIp2File open(Path path, Kind kind, Family family, String description) throws IOException {
        DatabaseReader reader = new DatabaseReader.Builder(path.toFile())
                .withCache(new CHMCache())
                .locales(ENGLISH)
                .build();
        return new GeoIp2File(reader, kind, family, description);
    }

    @Override
    public GeoHit lookup(InetAddress address) throws IOException {
        try {
            return switch (kind) {
                case CITY -> reader.tryCity(address).map(GeoIp2File::city).orElse(GeoHit.NONE);
                case COUNTRY ->
                    reader.tryCountry(address).map(GeoIp2File::country).orElse(GeoHit.NONE);
                case ASN -> reader.tryAsn(address).map(GeoIp2File::asn).orElse(GeoHit.NONE);
            };
        } catch (GeoIp2Exception e) {
            // Raised only for a database of another type than its metadata claims: a broken file.
            throw new IOException(description + " could not answer for an address: " + e.getMessage(), e);
        }
    }

    private static GeoHit city(CityResponse city) {
        Country country = city.country();
        return new GeoHit(
                country.isoCode(),
                country.name(),
                city.mostSpecificSubdivision().name(),
                city.city().name(),
                city.location().latitude(),
                city.location().longitude(),
                city.location().timeZone(),
                null,
                null);
    }

    private static GeoHit country(CountryResponse response) {
        Country country = response.country();
        return new GeoHit(country.isoCode(), country.name(), null, null, null, null, null, null, null);
    }

    private static GeoHit asn(AsnResponse asn) {
        return new GeoHit(
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                asn.autonomousSystemNumber(),
                asn.autonomousSystemOrganization());
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
