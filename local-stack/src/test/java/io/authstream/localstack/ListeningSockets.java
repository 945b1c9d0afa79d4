package io.authstream.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The TCP sockets this JVM listens on, from Linux's {@code /proc}: the sockets among the
 * process's file descriptors that {@code /proc/net/tcp} and {@code tcp6} list in state LISTEN.
 * It finds servers nobody asked about, which connecting to known ports cannot.
 */
final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {}

    static boolean readable() {
        return Files.isReadable(Path.of("/proc/net/tcp")) && Files.isDirectory(Path.of("/proc/self/fd"));
    }

    static List<InetSocketAddress> ofThisJvm() {
        Set<String> inodes = socketInodes();
        List<InetSocketAddress> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            try {
                List<String> lines = Files.readAllLines(path);
                for (String line : lines.subList(1, lines.size())) {
                    String[] columns = line.trim().split("\\s+");
                    if (columns[3].equals(LISTEN) && inodes.contains(columns[9])) {
                        listening.add(address(columns[1]));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return listening;
    }

    private static Set<String> socketInodes() {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while listing is no listener
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return inodes;
    }

    /** {@code 0100007F:1F90}: the address as 32-bit words in host (little-endian) order, the port big-endian. */
    private static InetSocketAddress address(String hex) {
        String[] parts = hex.split(":");
        byte[] raw = HexFormat.of().parseHex(parts[0]);
        byte[] address = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4) {
            for (int b = 0; b < 4; b++) {
                address[word + b] = raw[word + 3 - b];
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), Integer.parseInt(parts[1], 16));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
