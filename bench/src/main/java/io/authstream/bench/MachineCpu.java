package io.authstream.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the whole machine from {@code /proc/stat}: on two cores shared by the broker, the
 * app under test and the load generator, whether a run was CPU-bound, and how many CPU
 * microseconds each event cost all of them together, say more than events/s alone.
 */
record MachineCpu(long busyTicks, long totalTicks) {

    static MachineCpu now() throws IOException {
        String[] fields =
                Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < fields.length; i++) {
            total += Long.parseLong(fields[i]);
        }
        // Fields: cpu user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
        long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
        long guest = fields.length > 9 ? Long.parseLong(fields[9]) + Long.parseLong(fields[10]) : 0;
        return new MachineCpu(total - guest - idle, total - guest);
    }

    /** Share of all cores busy since {@code before}, 0..1. */
    double utilizationSince(MachineCpu before) {
        long total = totalTicks - before.totalTicks;
        return total == 0 ? 0 : (double) (busyTicks - before.busyTicks) / total;
    }

    /** Busy CPU seconds of all cores since {@code before}. */
    double busySecondsSince(MachineCpu before) {
        return (busyTicks - before.busyTicks) / 100.0; // USER_HZ is 100 on Linux
    }
}
