package dev.nabd.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How many threads the forward pass should use by default: one per physical core. Two hyper-threads of
 * one core share its vector units, so a second thread per core mostly adds contention to a compute-bound
 * product. Read from {@code /proc/cpuinfo} on Linux (distinct physical id / core id pairs), never more
 * than the processors the JVM may use; elsewhere, the processors the JVM may use.
 */
public final class CpuInfo {
    private CpuInfo() {
    }

    /** The default thread count. */
    public static int physicalCores() {
        int available = Runtime.getRuntime().availableProcessors();
        try {
            int cores = coresIn(Files.readAllLines(Path.of("/proc/cpuinfo")));
            return cores > 0 ? Math.min(cores, available) : available;
        } catch (IOException | RuntimeException e) {
            return available;
        }
    }

    /** Distinct (physical id, core id) pairs in the text of /proc/cpuinfo, or 0 if it does not say. */
    static int coresIn(List<String> lines) {
        Set<String> cores = new HashSet<>();
        String physical = "0";
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (key.equals("physical id")) {
                physical = value;
            } else if (key.equals("core id")) {
                cores.add(physical + "/" + value);
            }
        }
        return cores.size();
    }
}
