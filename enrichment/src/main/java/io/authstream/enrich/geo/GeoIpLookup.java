package io.authstream.enrich.geo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IP → place (and network) over one or more MMDB files: each address is asked of the files that
 * serve its family, in the order configured; the first place found wins, and so does the first
 * network. Special-purpose and malformed addresses are never looked up. Thread-safe (the readers
 * are), so one instance serves every stream thread.
 */
public final class GeoIpLookup implements AutoCloseable {

    /** The outcome of one lookup and, when located, what was found and in which files. */
    public record Result(GeoOutcome outcome, GeoHit hit, String source) {
        static Result of(GeoOutcome outcome) {
            return new Result(outcome, GeoHit.NONE, null);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(GeoIpLookup.class);

    private final List<MmdbFile> files;
    private final AtomicBoolean warned = new AtomicBoolean();

    private GeoIpLookup(List<MmdbFile> files) {
        this.files = List.copyOf(files);
    }

    /**
     * @throws IllegalArgumentException naming every file that cannot be used, and why
     */
    public static GeoIpLookup open(List<Path> paths) {
        List<MmdbFile> opened = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path path : paths) {
            try {
                opened.add(MmdbFile.open(path));
            } catch (IllegalArgumentException | UncheckedIOException e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty() || opened.isEmpty()) {
            closeAll(opened);
            throw new IllegalArgumentException(problems.isEmpty() ? "no MMDB file given" : String.join("; ", problems));
        }
        return new GeoIpLookup(opened);
    }

    public Result lookup(String ip) {
        if (ip == null || ip.isBlank()) {
            return Result.of(GeoOutcome.NO_IP);
        }
        Optional<InetAddress> parsed = IpAddresses.parse(ip);
        if (parsed.isEmpty()) {
            return Result.of(GeoOutcome.MALFORMED);
        }
        InetAddress address = parsed.get();
        if (!IpAddresses.isPublic(address)) {
            return Result.of(GeoOutcome.NOT_PUBLIC);
        }
        GeoHit hit = GeoHit.NONE;
        List<String> sources = new ArrayList<>(1);
        for (MmdbFile file : files) {
            if (!file.serves(address) || (hit.hasPlace() && hit.hasNetwork())) {
                continue;
            }
            GeoHit found;
            try {
                found = file.lookup(address);
            } catch (IOException e) {
                // The file broke under us (e.g. replaced in place): not this event's fault, so the
                // event goes on without geo instead of stopping the stream thread; counted, warned once.
                if (warned.compareAndSet(false, true)) {
                    LOG.warn(
                            "GeoIP lookup failed in {} ({}); events go on without geo, counted as lookup_failed",
                            file.describe(),
                            e.toString());
                }
                return Result.of(GeoOutcome.LOOKUP_FAILED);
            }
            if ((found.hasPlace() && !hit.hasPlace()) || (found.hasNetwork() && !hit.hasNetwork())) {
                hit = hit.orElse(found);
                sources.add(file.describe());
            }
        }
        return hit.hasPlace() || hit.hasNetwork()
                ? new Result(GeoOutcome.LOCATED, hit, String.join(", ", sources))
                : Result.of(GeoOutcome.NOT_FOUND);
    }

    /** The files, described, in lookup order. */
    public String describe() {
        return files.stream().map(MmdbFile::describe).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        closeAll(files);
    }

    private static void closeAll(List<MmdbFile> files) {
        for (MmdbFile file : files) {
            try {
                file.close();
            } catch (IOException e) {
                // Closing a read-only mapping: nothing to lose.
            }
        }
    }
}
