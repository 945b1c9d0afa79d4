package io.authstream.enrich.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MMDB files (the MaxMind DB format, version 2.0: an IPv6 search tree with 24-bit
 * records, a data section, the metadata map), so tests can read a file in MaxMind's GeoIP2
 * layout through the real geoip2 reader without shipping MaxMind's licensed data. Values: String,
 * Double, Long (uint32), Map (string keys), List.
 */
public final class MmdbWriter {

    private final String databaseType;
    private final Map<String, Map<String, Object>> networks = new LinkedHashMap<>();

    public MmdbWriter(String databaseType) {
        this.databaseType = databaseType;
    }

    /** Maps a network (IPv4 ones are placed at ::/96, where readers look them up) to a record. */
    public MmdbWriter network(String cidr, Map<String, Object> record) {
        networks.put(cidr, record);
        return this;
    }

    public Path write(Path file) throws IOException {
        Node root = new Node();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, Map<String, Object>> network : networks.entrySet()) {
            String cidr = network.getKey();
            InetAddress address = InetAddress.getByName(cidr.substring(0, cidr.indexOf('/')));
            int prefix = Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
            byte[] bits = new byte[16];
            byte[] raw = address.getAddress();
            if (address instanceof Inet4Address) {
                System.arraycopy(raw, 0, bits, 12, 4);
                prefix += 96;
            } else {
                bits = raw;
            }
            int offset = data.size();
            encode(network.getValue(), data);
            Node node = root;
            for (int depth = 0; depth < prefix - 1; depth++) {
                int bit = (bits[depth / 8] >> (7 - depth % 8)) & 1;
                if (node.children[bit] == null) {
                    node.children[bit] = new Node();
                }
                node = node.children[bit];
            }
            int last = (bits[(prefix - 1) / 8] >> (7 - (prefix - 1) % 8)) & 1;
            node.data[last] = offset;
        }
        List<Node> order = new ArrayList<>();
        order.add(root);
        for (int i = 0; i < order.size(); i++) {
            Node node = order.get(i);
            node.id = i;
            for (Node child : node.children) {
                if (child != null) {
                    order.add(child);
                }
            }
        }
        int nodeCount = order.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node node : order) {
            for (int side = 0; side < 2; side++) {
                long record = node.children[side] != null
                        ? node.children[side].id
                        : node.data[side] >= 0 ? nodeCount + 16L + node.data[side] : nodeCount;
                out.write((int) (record >> 16) & 0xff);
                out.write((int) (record >> 8) & 0xff);
                out.write((int) record & 0xff);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("binary_format_major_version", new Uint16(2));
        metadata.put("binary_format_minor_version", new Uint16(0));
        metadata.put("build_epoch", new Uint64(1_767_225_600L));
        metadata.put("database_type", databaseType);
        metadata.put("description", Map.of("en", "authstream test database"));
        metadata.put("ip_version", new Uint16(6));
        metadata.put("languages", List.of("en"));
        metadata.put("node_count", (long) nodeCount);
        metadata.put("record_size", new Uint16(24));
        encode(metadata, out);
        return Files.write(file, out.toByteArray());
    }

    private static final class Node {
        final Node[] children = new Node[2];
        final int[] data = {-1, -1};
        int id;
    }

    private record Uint16(int value) {}

    private record Uint64(long value) {}

    private static void encode(Object value, ByteArrayOutputStream out) {
        if (value instanceof String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            control(2, bytes.length, out);
            out.writeBytes(bytes);
        } else if (value instanceof Double number) {
            control(3, 8, out);
            long bits = Double.doubleToLongBits(number);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) (bits >> shift) & 0xff);
            }
        } else if (value instanceof Uint16 number) {
            unsigned(5, number.value(), 2, out);
        } else if (value instanceof Long number) {
            unsigned(6, number, 4, out);
        } else if (value instanceof Uint64 number) {
            unsigned(9, number.value(), 8, out);
        } else if (value instanceof Map<?, ?> map) {
            control(7, map.size(), out);
            map.forEach((key, item) -> {
                encode((String) key, out);
                encode(item, out);
            });
        } else if (value instanceof List<?> list) {
            control(11, list.size(), out);
            list.forEach(item -> encode(item, out));
        } else {
            throw new IllegalArgumentException("no MMDB encoding for " + value);
        }
    }

    private static void unsigned(int type, long value, int maxBytes, ByteArrayOutputStream out) {
        int bytes = 0;
        while (bytes < maxBytes && (value >>> (8 * bytes)) != 0) {
            bytes++;
        }
        control(type, bytes, out);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    /** The control byte (type in the top 3 bits, extended types in a second byte) and the size. */
    private static void control(int type, int size, ByteArrayOutputStream out) {
        int typeBits = type <= 7 ? type << 5 : 0;
        if (size < 29) {
            out.write(typeBits | size);
        } else if (size < 285) {
            out.write(typeBits | 29);
        } else {
            throw new IllegalArgumentException("value too large for this writer: " + size);
        }
        if (type > 7) {
            out.write(type - 7);
        }
        if (size >= 29) {
            out.write(size - 29);
        }
    }
}
