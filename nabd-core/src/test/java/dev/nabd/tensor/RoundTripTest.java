package dev.nabd.tensor;

import static dev.nabd.tensor.TensorTestSupport.gaussian;
import static dev.nabd.tensor.TensorTestSupport.relativeRmsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Quantise seeded random data and dequantise it again; the error must stay within each type's bound. */
class RoundTripTest {
    private static final int N = 4 * 256;

    /**
     * Bounds on RMS(error) / RMS(data) for Gaussian data: about 1.25× the largest error a correct
     * implementation showed over 39 seeds (the K-quant quantisers search their scales, so they beat a
     * plain rounding of the same bit width).
     */
    private static final Map<GgmlType, Double> BOUND = Map.ofEntries(
            Map.entry(GgmlType.F32, 0.0),
            Map.entry(GgmlType.F16, 2.8e-4),
            Map.entry(GgmlType.BF16, 2.2e-3),
            Map.entry(GgmlType.Q8_0, 0.0070),
            Map.entry(GgmlType.Q8_K, 0.0095),
            Map.entry(GgmlType.Q6_K, 0.024),
            Map.entry(GgmlType.Q5_0, 0.056),
            Map.entry(GgmlType.Q5_1, 0.052),
            Map.entry(GgmlType.Q5_K, 0.048),
            Map.entry(GgmlType.Q4_0, 0.116),
            Map.entry(GgmlType.Q4_1, 0.105),
            Map.entry(GgmlType.Q4_K, 0.095),
            Map.entry(GgmlType.Q3_K, 0.20),
            Map.entry(GgmlType.Q2_K, 0.40));

    static Stream<Arguments> typesAndSeeds() {
        List<Arguments> args = new ArrayList<>();
        for (GgmlType type : BOUND.keySet()) {
            for (long seed : new long[] {1, 42, 20260708}) {
                args.add(Arguments.of(type, seed));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("typesAndSeeds")
    void gaussianDataRoundTripsWithinBound(GgmlType type, long seed) {
        float[] x = gaussian(seed, N, 0, 0.05);
        assertThat(roundTrip(type, x)).isLessThanOrEqualTo(BOUND.get(type));
    }

    @ParameterizedTest(name = "{0} seed {1}")
    @MethodSource("typesAndSeeds")
    void offsetDataRoundTripsWithinBound(GgmlType type, long seed) {
        // a mean of two sigmas exercises the mins of the "_1" and K types (error measured against the
        // spread, not the mean, so that a type ignoring the offset would fail)
        float[] x = gaussian(seed, N, 2.0, 1.0);
        float[] y = decode(type, encode(type, x, 0), 0, N);
        float[] centredX = new float[N];
        float[] centredY = new float[N];
        for (int i = 0; i < N; i++) {
            centredX[i] = x[i] - 2.0f;
            centredY[i] = y[i] - 2.0f;
        }
        double bound = switch (type) {
            // types with a min follow the offset; symmetric and float types spend precision on it
            case Q4_1, Q5_1, Q2_K, Q4_K, Q5_K -> 1.1 * BOUND.get(type);
            default -> 2.5 * BOUND.get(type);
        };
        assertThat(relativeRmsError(centredY, centredX)).isLessThanOrEqualTo(bound);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K"})
    void zerosStayZero(GgmlType type) {
        float[] y = decode(type, encode(type, new float[N], 0), 0, N);
        for (float v : y) {
            assertThat(Math.abs(v)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K"})
    void writesExactlyItsBytesAtUnalignedOffsetsAndHonoursArrayOffsets(GgmlType type) {
        BlockCodec codec = BlockCodecs.of(type);
        int n = 2 * type.blockSize() * (type.blockSize() == 1 ? 32 : 1);
        float[] src = gaussian(7, n + 5, 0, 1);
        long size = type.bytesFor(n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment dst = arena.allocate(size + 6);
            dst.fill((byte) 0x5A);
            codec.quantize(src, 5, dst, 3, n);
            for (long i : new long[] {0, 1, 2, size + 3, size + 4, size + 5}) {
                assertThat(dst.get(ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isEqualTo((byte) 0x5A);
            }
            MemorySegment reference = arena.allocate(size);
            float[] shifted = new float[n];
            System.arraycopy(src, 5, shifted, 0, n);
            codec.quantize(shifted, 0, reference, 0, n);
            assertThat(dst.asSlice(3, size).mismatch(reference)).isEqualTo(-1);

            float[] out = new float[n + 9];
            codec.dequantize(dst, 3, out, 9, n);
            float[] direct = new float[n];
            codec.dequantize(reference, 0, direct, 0, n);
            for (int i = 0; i < 9; i++) {
                assertThat(out[i]).isZero();
            }
            for (int i = 0; i < n; i++) {
                assertThat(out[9 + i]).isEqualTo(direct[i]);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q4_K", "Q6_K", "Q8_K"})
    void rejectsPartialBlocks(GgmlType type) {
        BlockCodec codec = BlockCodecs.of(type);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(4 * type.bytesPerBlock());
            int n = type.blockSize() + 1;
            assertThatThrownBy(() -> codec.quantize(new float[n], 0, seg, 0, n))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> codec.dequantize(seg, 0, new float[n], 0, n))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    static double roundTrip(GgmlType type, float[] x) {
        return relativeRmsError(decode(type, encode(type, x, 0), 0, x.length), x);
    }

    static MemorySegment encode(GgmlType type, float[] x, long offset) {
        MemorySegment seg = Arena.ofAuto().allocate(offset + type.bytesFor(x.length));
        BlockCodecs.of(type).quantize(x, 0, seg, offset, x.length);
        return seg;
    }

    static float[] decode(GgmlType type, MemorySegment seg, long offset, int n) {
        float[] y = new float[n];
        BlockCodecs.of(type).dequantize(seg, offset, y, 0, n);
        return y;
    }
}
