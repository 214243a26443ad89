package dev.nabd.gguf;

import dev.nabd.tensor.GgmlType;
import dev.nabd.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class GgufRoundTripTest {

    @TempDir
    Path dir;

    @Test
    void readsTheGoldenLlamaFile() {
        try (GgufFile g = GgufFile.open(SharedData.golden("llama/tiny-llama-F32.gguf"))) {
            GgufMetadata md = g.metadata();
            assertThat(g.version()).isEqualTo(3);
            assertThat(md.getString("general.architecture")).isEqualTo("llama");
            assertThat(md.getInt("llama.block_count")).isEqualTo(2);
            assertThat(md.getFloat("llama.rope.freq_base", 0)).isEqualTo(500000f);
            assertThat(md.getArray("tokenizer.ggml.tokens").length()).isEqualTo(438);
            assertThat(md.getArray("tokenizer.ggml.merges").length()).isEqualTo(177);
            assertThat(md.getBool("tokenizer.ggml.add_bos_token", false)).isTrue();
            GgufTensorInfo ffnDown = g.tensor("blk.0.ffn_down.weight");
            assertThat(ffnDown.shape()).containsExactly(512, 256);
            assertThat(ffnDown.type()).isEqualTo(GgmlType.F32);
            assertThat(g.tensor("rope_freqs.weight").shape()).containsExactly(32);
            assertThat(g.tensors()).hasSize(3 + 1 + 2 * 9);
        }
    }

    /** Copying every entry and tensor of a real llama.cpp file through our writer gives the same bytes. */
    @ParameterizedTest
    @ValueSource(strings = {"qwen3/tiny-qwen3-Q4_K_M.gguf", "llama/tiny-llama-Q4_0.gguf", "stories260K/stories260K.gguf",
            "tokenizer/qwen3-real-vocab.gguf"})
    void rewritingARealFileReproducesItByteForByte(String rel) throws IOException {
        Path original = SharedData.golden(rel);
        Path copy = dir.resolve("copy.gguf");
        try (GgufFile g = GgufFile.open(original)) {
            GgufWriter w = new GgufWriter().version(g.version()).putAll(g.metadata());
            for (GgufTensorInfo t : g.tensors()) {
                w.addTensor(t.name(), t.type(), t.shape(), g.tensorData(t));
            }
            w.write(copy);
        }
        assertThat(Files.mismatch(original, copy)).as("first differing byte").isEqualTo(-1L);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyValueTypeAndNestedArraysSurviveAWriteAndRead(int version) throws IOException {
        GgufWriter w = new GgufWriter().version(version)
                .putString("general.architecture", "test")
                .put("general.alignment", GgufValue.ofUint32(64))
                .put("u8", new GgufValue(GgufValueType.UINT8, (byte) 0xff))
                .put("i8", new GgufValue(GgufValueType.INT8, (byte) -5))
                .put("u16", new GgufValue(GgufValueType.UINT16, (short) 0xfffe))
                .put("i16", new GgufValue(GgufValueType.INT16, (short) -300))
                .put("u32", new GgufValue(GgufValueType.UINT32, 0xfffffff0))
                .put("i32", new GgufValue(GgufValueType.INT32, -70000))
                .put("u64", new GgufValue(GgufValueType.UINT64, -2L))
                .put("i64", new GgufValue(GgufValueType.INT64, Long.MIN_VALUE))
                .put("f32", new GgufValue(GgufValueType.FLOAT32, 3.25f))
                .put("f64", new GgufValue(GgufValueType.FLOAT64, -1e300))
                .put("bool", GgufValue.ofBool(true))
                .putString("utf8", "نبض 脉搏 😀")
                .putArray("strings", new GgufArray(GgufValueType.STRING, new String[] {"a", "", "ب"}))
                .putArray("floats", new GgufArray(GgufValueType.FLOAT32, new float[] {1f, -2.5f, Float.NaN}))
                .putArray("bools", new GgufArray(GgufValueType.BOOL, new byte[] {1, 0, 1}))
                .putArray("u16s", new GgufArray(GgufValueType.UINT16, new short[] {1, -1}))
                .putArray("i64s", new GgufArray(GgufValueType.INT64, new long[] {Long.MAX_VALUE, 0}))
                .putArray("f64s", new GgufArray(GgufValueType.FLOAT64, new double[] {0.5}))
                .putArray("empty", new GgufArray(GgufValueType.INT32, new int[0]))
                .putArray("nested", new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                        new GgufArray(GgufValueType.INT32, new int[] {1, 2, 3}),
                        new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                                new GgufArray(GgufValueType.STRING, new String[] {"deep"})})}));
        SplittableRandom r = new SplittableRandom(7);
        GgmlType[] types = {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_1,
                GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K};
        byte[][] payloads = new byte[types.length][];
        for (int i = 0; i < types.length; i++) {
            long[] shape = {256, 3};
            payloads[i] = new byte[(int) types[i].bytesFor(768)];
            r.nextBytes(payloads[i]);
            w.addTensor("t" + i + "." + types[i], types[i], shape, MemorySegment.ofArray(payloads[i]));
        }
        Path p = dir.resolve("all.gguf");
        w.write(p);
        try (GgufFile g = GgufFile.open(p)) {
            assertThat(g.version()).isEqualTo(version);
            assertThat(g.alignment()).isEqualTo(64);
            assertThat(g.dataOffset() % 64).isZero();
            GgufMetadata md = g.metadata();
            assertThat(md.getLong("u32")).isEqualTo(0xfffffff0L);
            assertThat(md.getLong("u8")).isEqualTo(255);
            assertThat(md.getLong("i8")).isEqualTo(-5);
            assertThat(md.getString("utf8")).isEqualTo("نبض 脉搏 😀");
            GgufArray nested = md.getArray("nested");
            assertThat(nested.elementType()).isEqualTo(GgufValueType.ARRAY);
            GgufArray[] inner = (GgufArray[]) nested.values();
            assertThat(inner[0].ints()).containsExactly(1, 2, 3);
            assertThat(((GgufArray[]) inner[1].values())[0].strings()).containsExactly("deep");
            // Everything, typed, equals what was written.
            GgufWriter again = new GgufWriter().version(version).putAll(md);
            Path p2 = dir.resolve("again.gguf");
            for (int i = 0; i < types.length; i++) {
                GgufTensorInfo t = g.tensors().get(i);
                assertThat(t.type()).isEqualTo(types[i]);
                assertThat(t.offset() % 64).isZero();
                assertThat(g.tensorData(t).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(payloads[i]);
                again.addTensor(t.name(), t.type(), t.shape(), g.tensorData(t));
            }
            again.write(p2);
            assertThat(Files.mismatch(p, p2)).isEqualTo(-1L);
        }
    }

    /** Offsets past 4 GiB: a sparse file whose second tensor starts after a 4 GiB first one. */
    @Test
    void tensorsBeyondFourGibibytesAreMapped() throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x46554747).putInt(3).putLong(2).putLong(0);
        long bigElements = (1L << 30) + 8;                 // 4 GiB + 32 bytes of F32
        b.putLong(3).put("big".getBytes()).putInt(1).putLong(bigElements).putInt(0).putLong(0);
        long tailOffset = bigElements * 4;                  // already a multiple of 32
        b.putLong(4).put("tail".getBytes()).putInt(1).putLong(8).putInt(0).putLong(tailOffset);
        long dataOffset = (b.position() + 31) / 32 * 32;
        Path p = dir.resolve("huge.gguf");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(p.toFile(), "rw")) {
            f.write(b.array(), 0, b.position());
            f.setLength(dataOffset + tailOffset + 32);       // sparse: nothing is written in between
            f.seek(dataOffset + tailOffset);
            f.write(GgufWriter.toLittleEndianBytes(new float[] {1, 2, 3, 4, 5, 6, 7, 8.5f}));
        }
        try (GgufFile g = GgufFile.open(p)) {
            GgufTensorInfo tail = g.tensor("tail");
            assertThat(g.dataOffset() + tail.offset()).isGreaterThan(1L << 32);
            MemorySegment s = g.tensorData(tail);
            assertThat(s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, 28)).isEqualTo(8.5f);
            assertThat(g.tensor("big").byteSize()).isEqualTo(bigElements * 4);
        }
    }
}
