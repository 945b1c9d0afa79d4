package io.authstream.enrich.geo;

import io.authstream.schemas.avro.GeoLocation;

/**
 * What one database knows of an address: a place (country, region, city, coordinates, time zone)
 * and/or a network (autonomous system). Places come whole from one database, so a city from one
 * file is never paired with another file's coordinates; the network may come from another file.
 */
public record GeoHit(
        String countryCode,
        String countryName,
        String region,
        String city,
        Double latitude,
        Double longitude,
        String timeZone,
        Long asn,
        String asOrganization) {

    public static final GeoHit NONE = new GeoHit(null, null, null, null, null, null, null, null, null);

    public GeoHit {
        countryCode = blankToNull(countryCode);
        countryName = blankToNull(countryName);
        region = blankToNull(region);
        city = blankToNull(city);
        timeZone = blankToNull(timeZone);
        asOrganization = blankToNull(asOrganization);
        // Out-of-range coordinates (and a lone one) are left out rather than trusted.
        if (latitude == null || longitude == null || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
            latitude = null;
            longitude = null;
        }
    }

    public boolean hasPlace() {
        return countryCode != null || latitude != null;
    }

    public boolean hasNetwork() {
        return asn != null || asOrganization != null;
    }

    /** This hit, with the place or the network it lacks taken from {@code other}. */
    public GeoHit orElse(GeoHit other) {
        GeoHit place = hasPlace() ? this : other;
        GeoHit network = hasNetwork() ? this : other;
        return new GeoHit(
                place.countryCode,
                place.countryName,
                place.region,
                place.city,
                place.latitude,
                place.longitude,
                place.timeZone,
                network.asn,
                network.asOrganization);
    }

    public GeoLocation toGeoLocation() {
        return GeoLocation.newBuilder()
                .setCountryCode(countryCode)
                .setCountryName(countryName)
                .setRegion(region)
                .setCity(city)
                .setLatitude(latitude)
                .setLongitude(longitude)
                .setTimeZone(timeZone)
                .setAsn(asn)
                .setAsOrganization(asOrganization)
                .build();
    }

    /**
     * MMDB files store coordinates as 32-bit floats; their shortest decimal (37.422, not
     * 37.42200088500977) is what the database's makers wrote.
     */
    static Double coordinate(Number value) {
        if (value == null) {
            return null;
        }
        return value instanceof Float f ? Double.valueOf(Float.toString(f)) : Double.valueOf(value.doubleValue());
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
