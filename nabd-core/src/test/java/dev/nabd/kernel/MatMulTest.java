package dev.nabd.kernel;

import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Batched products (tiled, threaded, several matrices per step) equal one dot product per row and token. */
class MatMulTest {

    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        GgmlType[] types = {GgmlType.F32, GgmlType.F16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q5_1};
        for (GgmlType t : types) {
            for (int batch : new int[] {1, 2, 3, 4, 5, 8, 13, 16}) {
                out.add(Arguments.of(t, batch, 1 + batch % 2));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} batch={1} threads={2}")
    @MethodSource("cases")
    void batchedEqualsRowByRow(GgmlType type, int batch, int threads) {
        SplittableRandom r = new SplittableRandom(type.ordinal() * 100L + batch);
        int cols = 512;
        int rows1 = 37;   // not a multiple of the row tile
        int rows2 = 8;
        Tensor w1 = random(type, "w1", cols, rows1, r);
        Tensor w2 = random(type, "w2", cols, rows2, r);
        int xStride = cols + 3;
        float[] x = new float[batch * xStride];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextGaussian();
        }
        float[] y1 = new float[batch * rows1];
        float[] y2 = new float[batch * (rows2 + 1)];
        try (ThreadTeam team = new ThreadTeam(threads)) {
            MatMul mm = new MatMul(team, FloatOpsProvider.get(), cols);
            mm.apply(w1, y1, rows1, w2, y2, rows2 + 1, x, xStride, batch);
        }
        RowOps ref = RowOpsProvider.reference(type);
        for (int b = 0; b < batch; b++) {
            for (int row = 0; row < rows1; row++) {
                float expected = ref.dot(w1.data(), row * w1.rowBytes(), x, b * xStride, cols);
                assertThat(y1[b * rows1 + row]).as("w1 token %d row %d", b, row).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3f * (1 + Math.abs(expected))));
            }
            for (int row = 0; row < rows2; row++) {
                float expected = ref.dot(w2.data(), row * w2.rowBytes(), x, b * xStride, cols);
                assertThat(y2[b * (rows2 + 1) + row]).as("w2 token %d row %d", b, row).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-3f * (1 + Math.abs(expected))));
            }
        }
    }

    private static Tensor random(GgmlType type, String name, int cols, int rows, SplittableRandom r) {
        float[] v = new float[cols * rows];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.1);
        }
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) type.bytesFor(v.length)]);
        BlockCodecs.of(type).quantize(v, 0, seg, 0, v.length);
        return new Tensor(name, type, new long[] {cols, rows}, seg);
    }
}
