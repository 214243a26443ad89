package dev.nabd.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Reads every page of a mapped model once, so the first answer does not wait for the disk. The weights
 * stay in the page cache, not on the Java heap. A progress bar appears on stderr when this takes longer
 * than a moment (a large model on a cold disk), and never for a small or cached one.
 */
final class PageIn {
    private static final long PAGE = 4096;
    private static final long CHUNK = 16L << 20;
    private static final long QUIET_NANOS = 400_000_000L;

    private PageIn() {
    }

    /** Touches each page of {@code data}, with a bar on stderr if that takes more than a moment. */
    static long run(MemorySegment data, String label) {
        return run(data, label, QUIET_NANOS, new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    /**
     * Touches each page of {@code data}; a progress bar goes to {@code err} once {@code quietNanos} have
     * passed. Returns a checksum so the reads cannot be optimised away.
     */
    static long run(MemorySegment data, String label, long quietNanos, PrintStream err) {
        long size = data.byteSize();
        long start = System.nanoTime();
        ProgressBar bar = null;
        long sum = 0;
        try {
            for (long off = 0; off < size; off += CHUNK) {
                long end = Math.min(size, off + CHUNK);
                for (long p = off; p < end; p += PAGE) {
                    sum += data.get(ValueLayout.JAVA_BYTE, p);
                }
                if (bar == null && System.nanoTime() - start >= quietNanos && end < size) {
                    bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(size >> 20).setUnit(" MiB", 1)
                            .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(err))
                            .build();
                }
                if (bar != null) {
                    bar.stepTo(end >> 20);
                }
            }
        } finally {
            if (bar != null) {
                bar.close();
            }
        }
        return sum;
    }
}
