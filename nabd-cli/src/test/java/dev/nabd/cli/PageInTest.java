package dev.nabd.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PageInTest {

    @Test
    void aSlowPageInShowsAProgressBarAndAQuickOneShowsNothing() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(64L << 20);
            for (long p = 0; p < data.byteSize(); p += 4096) {
                data.set(ValueLayout.JAVA_BYTE, p, (byte) 1);
            }
            ByteArrayOutputStream slow = new ByteArrayOutputStream();
            long sum = PageIn.run(data, "loading test.gguf", 0, new PrintStream(slow, true, StandardCharsets.UTF_8));
            assertThat(sum).isEqualTo(data.byteSize() / 4096);
            assertThat(slow.toString(StandardCharsets.UTF_8)).contains("loading test.gguf").contains("MiB");

            ByteArrayOutputStream quick = new ByteArrayOutputStream();
            PageIn.run(data, "loading test.gguf", Long.MAX_VALUE, new PrintStream(quick, true, StandardCharsets.UTF_8));
            assertThat(quick.size()).isZero();
        }
    }
}
