package io.authstream.enrich.geo;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * IP address literals as sources report them, parsed without ever asking DNS, and the
 * special-purpose ranges (RFC 6890 and successors) that no geolocation database can place.
 */
public final class IpAddresses {

    /** Ranges that are not one place on the Internet: private, loopback, link-local, shared, documentation, multicast, reserved. */
    private static final List<Cidr> SPECIAL = List.of(
            Cidr.parse("0.0.0.0/8"),
            Cidr.parse("10.0.0.0/8"),
            Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"),
            Cidr.parse("169.254.0.0/16"),
            Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"),
            Cidr.parse("192.0.2.0/24"),
            Cidr.parse("192.88.99.0/24"),
            Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"),
            Cidr.parse("198.51.100.0/24"),
            Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/3"),
            Cidr.parse("::/127"),
            Cidr.parse("64:ff9b::/96"),
            Cidr.parse("64:ff9b:1::/48"),
            Cidr.parse("100::/64"),
            Cidr.parse("2001::/23"),
            Cidr.parse("2001:db8::/32"),
            Cidr.parse("2002::/16"),
            Cidr.parse("3fff::/20"),
            Cidr.parse("5f00::/16"),
            Cidr.parse("fc00::/7"),
            Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"),
            Cidr.parse("ff00::/8"));

    private IpAddresses() {}

    /**
     * The address a literal denotes: dotted-quad IPv4, or IPv6 (optionally in brackets, with an
     * embedded IPv4 tail); IPv4-mapped IPv6 comes back as IPv4. Host names, the legacy short IPv4
     * forms ({@code 127.1}), zone ids and anything else give empty: an event's IP must never make
     * the Streams app wait on a resolver, and a name is not a location.
     */
    public static Optional<InetAddress> parse(String literal) {
        if (literal == null) {
            return Optional.empty();
        }
        String text = literal.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        if (text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        if (text.indexOf(':') >= 0) {
            return parseV6(text);
        }
        byte[] v4 = parseDottedQuad(text);
        if (v4 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always an address", e);
        }
    }

    private static Optional<InetAddress> parseV6(String text) {
        // InetAddress treats a string as a literal only when it starts with a hex digit or ':';
        // anything else would go to the resolver.
        if (text.charAt(0) != ':' && Character.digit(text.charAt(0), 16) < 0) {
            return Optional.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean allowed = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
            if (!allowed) {
                return Optional.empty();
            }
        }
        try {
            // Starting with a hex digit or ':', holding a ':' and only hex digits, ':' and '.', the
            // string is parsed as a literal: a malformed one is an UnknownHostException, not a query.
            return Optional.of(InetAddress.getByName(text));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static byte[] parseDottedQuad(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return null;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
            } else if (c == '.') {
                if (value < 0 || value > 255 || part == 4) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = -1;
                digits = 0;
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }

    /** True for an address that can have a place: not in any special-purpose range. */
    public static boolean isPublic(InetAddress address) {
        if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
            return false;
        }
        byte[] bytes = address.getAddress();
        for (Cidr range : SPECIAL) {
            if (range.contains(bytes)) {
                return false;
            }
        }
        return true;
    }

    /** One network prefix. */
    private record Cidr(byte[] network, int bits) {

        static Cidr parse(String cidr) {
            int slash = cidr.indexOf('/');
            InetAddress address = IpAddresses.parse(cidr.substring(0, slash)).orElseThrow();
            return new Cidr(address.getAddress(), Integer.parseInt(cidr.substring(slash + 1)));
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }
}
