package dev.nabd.gguf;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.model.ModelException;
import dev.nabd.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Truncated, corrupted and hostile files end in one clear {@link GgufException} (or {@link ModelException}
 * once the file parses but is no runnable model) naming the file, never in another exception or an
 * OutOfMemoryError.
 */
class GgufBadInputTest {
    private static final Path MODEL = SharedData.golden("qwen3/tiny-qwen3-Q4_K_M.gguf");

    @TempDir
    Path dir;

    static LongStream seeds() {
        return LongStream.range(0, 120);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void aFileCutAtAnyOffsetIsRejectedClearly(long seed) throws IOException {
        byte[] whole = Files.readAllBytes(MODEL);
        long dataOffset;
        long dataEnd = 0;
        try (GgufFile g = GgufFile.open(MODEL)) {
            dataOffset = g.dataOffset();
            for (GgufTensorInfo t : g.tensors()) {
                dataEnd = Math.max(dataEnd, dataOffset + t.offset() + t.byteSize());
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        // Two thirds of the cuts fall in the header (where parsing happens), the rest anywhere.
        int cut = seed % 3 == 2 ? r.nextInt(whole.length) : r.nextInt((int) dataOffset + 1);
        Path p = dir.resolve("cut-" + cut + ".gguf");
        Files.write(p, Arrays.copyOf(whole, cut));
        Throwable t = catchThrowable(() -> GgufFile.open(p).close());
        if (cut >= dataEnd) {
            assertThat(t).as("only trailing padding was cut").isNull();
        } else {
            assertThat(t).isInstanceOf(GgufException.class);
            assertThat(t.getMessage()).startsWith(p.toString()).doesNotContain("\n");
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void corruptedHeaderBytesNeverEscapeAsAnotherFailure(long seed) throws IOException {
        byte[] bytes = Files.readAllBytes(MODEL);
        long dataOffset;
        try (GgufFile g = GgufFile.open(MODEL)) {
            dataOffset = g.dataOffset();
        }
        SplittableRandom r = new SplittableRandom(seed);
        int flips = 1 + r.nextInt(4);
        for (int i = 0; i < flips; i++) {
            // Half the corruptions hit the first 64 bytes (magic, counts, first key), where damage is most likely to matter.
            int at = r.nextBoolean() ? r.nextInt(64) : r.nextInt((int) dataOffset);
            bytes[at] = (byte) r.nextInt(256);
        }
        Path p = dir.resolve("corrupt-" + seed + ".gguf");
        Files.write(p, bytes);
        Throwable t = catchThrowable(() -> {
            try (LanguageModel m = LanguageModel.load(p, LoadOptions.DEFAULTS.withThreads(1))) {
                m.generate("Once upon", 2, dev.nabd.sampling.SamplingParams.greedy(), s -> { });
            }
        });
        if (t != null) {
            assertThat(t).isInstanceOfAny(GgufException.class, ModelException.class);
            assertThat(t.getMessage()).contains(p.getFileName().toString()).doesNotContain("\n");
        }
    }

    @Test
    void wrongMagic() throws IOException {
        Path p = write("not-gguf.bin", "GGML and something else entirely".getBytes());
        assertThatThrownBy(() -> GgufFile.open(p)).isInstanceOf(GgufException.class)
                .hasMessage(p + ": not a GGUF file (bad magic 0x4c4d4747)");
    }

    @Test
    void unsupportedVersions() throws IOException {
        Path v1 = write("v1.gguf", header(1, 0, 0));
        assertThatThrownBy(() -> GgufFile.open(v1)).hasMessageContaining("GGUF version 1 is not supported");
        Path v9 = write("v9.gguf", header(9, 0, 0));
        assertThatThrownBy(() -> GgufFile.open(v9)).hasMessageContaining("unsupported GGUF version 9");
        Path big = write("be.gguf", header(Integer.reverseBytes(3), 0, 0));
        assertThatThrownBy(() -> GgufFile.open(big)).hasMessageContaining("big-endian");
    }

    @Test
    void absurdCountsAreRejectedBeforeAnythingIsAllocated() throws IOException {
        Path tensors = write("tensors.gguf", header(3, Long.MAX_VALUE / 2, 0));
        assertThatThrownBy(() -> GgufFile.open(tensors)).isInstanceOf(GgufException.class)
                .hasMessageContaining("absurd number of tensors");
        Path kv = write("kv.gguf", header(3, 0, 1L << 40));
        assertThatThrownBy(() -> GgufFile.open(kv)).hasMessageContaining("absurd number of metadata entries");
        // One array entry that claims 2^40 UINT32 elements.
        ByteBuffer b = le(200);
        b.put(header(3, 0, 1));
        putString(b, "huge");
        b.putInt(GgufValueType.ARRAY.id()).putInt(GgufValueType.UINT32.id()).putLong(1L << 40);
        Path arr = write("array.gguf", Arrays.copyOf(b.array(), b.position()));
        assertThatThrownBy(() -> GgufFile.open(arr)).hasMessageContaining("absurd number of elements in array 'huge'");
        // A string that claims to be longer than the file.
        ByteBuffer s = le(200);
        s.put(header(3, 0, 1));
        s.putLong(1L << 50).putLong(0).putLong(0);
        Path str = write("string.gguf", Arrays.copyOf(s.array(), s.position()));
        assertThatThrownBy(() -> GgufFile.open(str)).hasMessageContaining("claims").hasMessageContaining("bytes");
    }

    @Test
    void unknownTypesAndTensorsPastTheEnd() throws IOException {
        ByteBuffer b = le(200);
        b.put(header(3, 0, 1));
        putString(b, "k");
        b.putInt(77);
        Path badValue = write("value.gguf", Arrays.copyOf(b.array(), b.position()));
        assertThatThrownBy(() -> GgufFile.open(badValue)).hasMessageContaining("unknown metadata type id 77");

        Path badTensor = write("tensor.gguf", oneTensor(99, 0));
        assertThatThrownBy(() -> GgufFile.open(badTensor)).hasMessageContaining("unknown ggml type id 99");

        Path past = write("past.gguf", oneTensor(0, 1 << 20));
        assertThatThrownBy(() -> GgufFile.open(past)).hasMessageContaining("points past the end of the file");
    }

    @Test
    void missingFilesDirectoriesAndMissingKeys() throws IOException {
        assertThatThrownBy(() -> GgufFile.open(dir.resolve("nope.gguf"))).isInstanceOf(GgufException.class)
                .hasMessageEndingWith("nope.gguf: no such file");
        assertThatThrownBy(() -> GgufFile.open(dir)).hasMessageContaining("is a directory");
        Path empty = write("empty.gguf", new byte[0]);
        assertThatThrownBy(() -> GgufFile.open(empty)).hasMessageContaining("file is empty");
        // A valid GGUF without general.architecture is not a model.
        Path noArch = write("noarch.gguf", header(3, 0, 0));
        assertThatThrownBy(() -> LanguageModel.load(noArch, LoadOptions.DEFAULTS))
                .isInstanceOf(GgufException.class)
                .hasMessage(noArch + ": missing required metadata key 'general.architecture'");
    }

    /** A file with one 32-value tensor of type {@code typeId} at data offset {@code offset}, and no data. */
    private static byte[] oneTensor(int typeId, long offset) {
        ByteBuffer b = le(200);
        b.put(header(3, 1, 0));
        putString(b, "w");
        b.putInt(1).putLong(32).putInt(typeId).putLong(offset);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] header(int version, long tensors, long kvs) {
        return le(24).putInt(0x46554747).putInt(version).putLong(tensors).putLong(kvs).array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        b.putLong(bytes.length).put(bytes);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
