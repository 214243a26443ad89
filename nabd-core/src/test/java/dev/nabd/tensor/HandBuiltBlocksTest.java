package dev.nabd.tensor;

import static dev.nabd.tensor.TensorTestSupport.dequantize;
import static dev.nabd.tensor.TensorTestSupport.half;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.tensor.TensorTestSupport.BlockBuilder;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Blocks written byte by byte from ggml's block layouts (ggml-common.h) and dequantised. The expected
 * values are computed here per element index from the layout description, not with the codec's loops,
 * so that a layout mistake made symmetrically in quantiser and dequantiser still shows. Scales are
 * awkward fp16 values whose sums and differences round; expected values follow ggml's
 * {@code dequantize_row_*} expression for expression and are compared bit for bit. (The products
 * themselves are exact in every type: an fp16 scale has 11 significant bits, a sub-block scale at most
 * 7, a quant at most 6, so their grouping cannot change a result.)
 */
class HandBuiltBlocksTest {
    /** fp16 0x2E66 = 0.0999755859375 and 0x2A3D = 0.0487365722656: sums of their multiples round. */
    private static final int D_BITS = 0x2E66;
    private static final int DMIN_BITS = 0x2A3D;

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void close() {
        arena.close();
    }

    @Test
    void f32IsLittleEndianIeee() {
        MemorySegment s = new BlockBuilder(8).u8s(0x00, 0x00, 0xC0, 0x3F).u8s(0x00, 0x00, 0x00, 0xC0).build(arena);
        assertThat(dequantize(GgmlType.F32, s, 2)).containsExactly(1.5f, -2.0f);
    }

    @Test
    void f16DecodesNormalsAndSubnormals() {
        MemorySegment s = new BlockBuilder(8).u16(0x3C00).u16(0xC000).u16(0x3555).u16(0x0001).build(arena);
        assertThat(dequantize(GgmlType.F16, s, 4))
                .containsExactly(1.0f, -2.0f, 0.333251953125f, 5.9604645e-8f);
    }

    @Test
    void f16EncodesRoundingToNearestEven() {
        float[] x = {1.0f / 3, 65520f, 1.0f + 0x1p-11f, 1.0f + 3 * 0x1p-11f};
        MemorySegment s = arena.allocate(8);
        BlockCodecs.of(GgmlType.F16).quantize(x, 0, s, 0, 4);
        // 65520 is halfway between 65504 and 65536 (not representable): ties to even = infinity
        assertThat(shorts(s, 4)).containsExactly(0x3555, 0x7C00, 0x3C00, 0x3C02);
    }

    @Test
    void bf16IsTheUpperHalfOfAnF32() {
        MemorySegment s = new BlockBuilder(4).u16(0x3F80).u16(0xC040).build(arena);
        assertThat(dequantize(GgmlType.BF16, s, 2)).containsExactly(1.0f, -3.0f);
    }

    @Test
    void bf16EncodesToNearestEvenAndKeepsNanQuiet() {
        float[] x = {
            Float.intBitsToFloat(0x3F808000), // halfway, even below
            Float.intBitsToFloat(0x3F818000), // halfway, even above
            Float.intBitsToFloat(0x3F808001), // just above halfway
            Float.intBitsToFloat(0x7F800001), // signalling NaN whose payload is all in the low half
            Float.NEGATIVE_INFINITY,
        };
        MemorySegment s = arena.allocate(10);
        BlockCodecs.of(GgmlType.BF16).quantize(x, 0, s, 0, 5);
        assertThat(shorts(s, 5)).containsExactly(0x3F80, 0x3F82, 0x3F81, 0x7FC0, 0xFF80);
    }

    @Test
    void q8_0() {
        BlockBuilder b = new BlockBuilder(34).u16(D_BITS);
        for (int j = 0; j < 32; j++) {
            b.u8(j * 9 - 140);
        }
        float[] y = dequantize(GgmlType.Q8_0, b.build(arena), 32);
        float d = half(D_BITS);
        for (int j = 0; j < 32; j++) {
            assertThat(y[j]).as("value %d", j).isEqualTo((byte) (j * 9 - 140) * d);
        }
    }

    @Test
    void q4_0WithHalfScaleAndNibbles0To15() {
        // d = 0.5; qs[j] = j in the low nibble (value j), 15 - j in the high nibble (value j + 16)
        BlockBuilder b = new BlockBuilder(18).u16(0x3800);
        for (int j = 0; j < 16; j++) {
            b.u8(j | (15 - j) << 4);
        }
        float[] y = dequantize(GgmlType.Q4_0, b.build(arena), 32);
        assertThat(y).containsExactly(
                -4.0f, -3.5f, -3.0f, -2.5f, -2.0f, -1.5f, -1.0f, -0.5f,
                0.0f, 0.5f, 1.0f, 1.5f, 2.0f, 2.5f, 3.0f, 3.5f,
                3.5f, 3.0f, 2.5f, 2.0f, 1.5f, 1.0f, 0.5f, 0.0f,
                -0.5f, -1.0f, -1.5f, -2.0f, -2.5f, -3.0f, -3.5f, -4.0f);
    }

    @Test
    void q4_1() {
        // d = 0.25, m = -1
        BlockBuilder b = new BlockBuilder(20).u16(0x3400).u16(0xBC00);
        for (int j = 0; j < 16; j++) {
            b.u8(j | (15 - j) << 4);
        }
        float[] y = dequantize(GgmlType.Q4_1, b.build(arena), 32);
        for (int j = 0; j < 16; j++) {
            assertThat(y[j]).isEqualTo(j * 0.25f - 1);
            assertThat(y[j + 16]).isEqualTo((15 - j) * 0.25f - 1);
        }
    }

    @Test
    void q4_1AwkwardScalesMultiplyThenAdd() {
        BlockBuilder b = new BlockBuilder(20).u16(D_BITS).u16(DMIN_BITS | 0x8000);
        for (int j = 0; j < 16; j++) {
            b.u8(j * 17 + 3);
        }
        float[] y = dequantize(GgmlType.Q4_1, b.build(arena), 32);
        float d = half(D_BITS);
        float m = -half(DMIN_BITS);
        for (int j = 0; j < 16; j++) {
            int q = (j * 17 + 3) & 0xFF;
            assertThat(y[j]).isEqualTo((q & 0xF) * d + m);
            assertThat(y[j + 16]).isEqualTo((q >> 4) * d + m);
        }
    }

    @Test
    void q5_0() {
        // qh = 0xAAAA5555: fifth bit set for even values 0..15 and for odd j in values 16 + j
        BlockBuilder b = new BlockBuilder(22).u16(0x3800).u32(0xAAAA5555);
        for (int j = 0; j < 16; j++) {
            b.u8(j | (15 - j) << 4);
        }
        float[] y = dequantize(GgmlType.Q5_0, b.build(arena), 32);
        for (int j = 0; j < 16; j++) {
            int q0 = j | (j % 2 == 0 ? 16 : 0);
            int q1 = (15 - j) | (j % 2 == 1 ? 16 : 0);
            assertThat(y[j]).as("value %d", j).isEqualTo((q0 - 16) * 0.5f);
            assertThat(y[j + 16]).as("value %d", j + 16).isEqualTo((q1 - 16) * 0.5f);
        }
        assertThat(y[0]).isEqualTo(0.0f);
        assertThat(y[1]).isEqualTo(-7.5f);
        assertThat(y[31]).isEqualTo(0.0f);
    }

    @Test
    void q5_1() {
        BlockBuilder b = new BlockBuilder(24).u16(D_BITS).u16(DMIN_BITS).u8s(0x01, 0x80, 0x00, 0xFF);
        for (int j = 0; j < 16; j++) {
            b.u8(0xF0 | j);
        }
        float[] y = dequantize(GgmlType.Q5_1, b.build(arena), 32);
        int qh = 0xFF008001;
        float d = half(D_BITS);
        float m = half(DMIN_BITS);
        for (int j = 0; j < 16; j++) {
            int q0 = j | ((qh >>> j) & 1) << 4;
            int q1 = 15 | ((qh >>> (j + 16)) & 1) << 4;
            assertThat(y[j]).as("value %d", j).isEqualTo(q0 * d + m);
            assertThat(y[j + 16]).as("value %d", j + 16).isEqualTo(q1 * d + m);
        }
        assertThat(y[15]).isEqualTo(31 * d + m);
        assertThat(y[16]).isEqualTo(15 * d + m);
        assertThat(y[31]).isEqualTo(31 * d + m);
    }

    @Test
    void q2_K() {
        BlockBuilder b = new BlockBuilder(84);
        int[] sc = new int[16];
        int[] mn = new int[16];
        for (int s = 0; s < 16; s++) {
            sc[s] = 15 - s;
            mn[s] = (s * 7) % 16;
            b.u8(sc[s] | mn[s] << 4);
        }
        int[] qs = new int[64];
        for (int i = 0; i < 64; i++) {
            qs[i] = (i * 29 + 11) & 0xFF;
            b.u8(qs[i]);
        }
        b.u16(D_BITS).u16(DMIN_BITS);
        float[] y = dequantize(GgmlType.Q2_K, b.build(arena), 256);
        float d = half(D_BITS);
        float dmin = half(DMIN_BITS);
        for (int i = 0; i < 256; i++) {
            int sub = i / 16;
            int half = i / 128;
            int pair = (i % 128) / 32;
            int q = (qs[32 * half + i % 32] >> (2 * pair)) & 3;
            float dl = d * sc[sub];
            float ml = dmin * mn[sub];
            assertThat(y[i]).as("value %d", i).isEqualTo(dl * q - ml);
        }
    }

    @Test
    void q3_K() {
        int[] hmask = new int[32];
        int[] qs = new int[64];
        BlockBuilder b = new BlockBuilder(110);
        for (int i = 0; i < 32; i++) {
            hmask[i] = (i * 53 + 5) & 0xFF;
            b.u8(hmask[i]);
        }
        for (int i = 0; i < 64; i++) {
            qs[i] = (i * 97 + 31) & 0xFF;
            b.u8(qs[i]);
        }
        b.u8s(0x21, 0x43, 0x65, 0x87, 0xA9, 0xCB, 0xED, 0x0F, 0x1B, 0xE4, 0x72, 0x8D);
        // these twelve bytes unpacked with ggml's kmask/aux shuffle, minus the bias of 32
        int[] scales = {17, -29, 5, -9, 9, -5, -19, 31, -14, 4, 22, -24, -22, 28, -2, 0};
        b.u16(D_BITS);
        float[] y = dequantize(GgmlType.Q3_K, b.build(arena), 256);
        float d = half(D_BITS);
        for (int i = 0; i < 256; i++) {
            int low = (qs[32 * (i / 128) + i % 32] >> (2 * ((i % 128) / 32))) & 3;
            boolean high = (hmask[i % 32] >> (i / 32) & 1) != 0;
            float dl = d * scales[i / 16];
            assertThat(y[i]).as("value %d", i).isEqualTo(dl * (low - (high ? 0 : 4)));
        }
    }

    @Test
    void q4_K() {
        int[] qs = new int[128];
        BlockBuilder b = new BlockBuilder(144).u16(D_BITS).u16(DMIN_BITS)
                .u8s(0xC5, 0x4A, 0x3F, 0x80, 0x11, 0xE2, 0x7B, 0x40, 0x9C, 0x36, 0xF0, 0x0D);
        // these twelve bytes unpacked with ggml's get_scale_min_k4
        int[] sc = {5, 10, 63, 0, 60, 22, 0, 45};
        int[] mn = {17, 34, 59, 0, 9, 51, 31, 16};
        for (int i = 0; i < 128; i++) {
            qs[i] = (i * 73 + 19) & 0xFF;
            b.u8(qs[i]);
        }
        float[] y = dequantize(GgmlType.Q4_K, b.build(arena), 256);
        float d = half(D_BITS);
        float dmin = half(DMIN_BITS);
        for (int i = 0; i < 256; i++) {
            int sub = i / 32;
            int q = (qs[32 * (i / 64) + i % 32] >> (4 * (sub % 2))) & 0xF;
            float d1 = d * sc[sub];
            float m1 = dmin * mn[sub];
            assertThat(y[i]).as("value %d", i).isEqualTo(d1 * q - m1);
        }
    }

    @Test
    void q4_KSimpleValues() {
        // d = 1, dmin = 0.5; sub-block 0: scale 2, min 3 (bytes 0 and 4); every other scale and min 0
        BlockBuilder b = new BlockBuilder(144).u16(0x3C00).u16(0x3800)
                .u8s(2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0);
        for (int i = 0; i < 128; i++) {
            b.u8(i < 32 ? i % 16 : 0xFF);
        }
        float[] y = dequantize(GgmlType.Q4_K, b.build(arena), 256);
        for (int l = 0; l < 32; l++) {
            assertThat(y[l]).isEqualTo(2.0f * (l % 16) - 1.5f);
            assertThat(y[32 + l]).isEqualTo(0.0f); // sub-block 1: scale 0, min 0
        }
    }

    @Test
    void q5_K() {
        int[] qh = new int[32];
        int[] qs = new int[128];
        BlockBuilder b = new BlockBuilder(176).u16(D_BITS).u16(DMIN_BITS)
                .u8s(0xC5, 0x4A, 0x3F, 0x80, 0x11, 0xE2, 0x7B, 0x40, 0x9C, 0x36, 0xF0, 0x0D);
        int[] sc = {5, 10, 63, 0, 60, 22, 0, 45};
        int[] mn = {17, 34, 59, 0, 9, 51, 31, 16};
        for (int i = 0; i < 32; i++) {
            qh[i] = (i * 41 + 7) & 0xFF;
            b.u8(qh[i]);
        }
        for (int i = 0; i < 128; i++) {
            qs[i] = (i * 73 + 19) & 0xFF;
            b.u8(qs[i]);
        }
        float[] y = dequantize(GgmlType.Q5_K, b.build(arena), 256);
        float d = half(D_BITS);
        float dmin = half(DMIN_BITS);
        for (int i = 0; i < 256; i++) {
            int sub = i / 32;
            int low = (qs[32 * (i / 64) + i % 32] >> (4 * (sub % 2))) & 0xF;
            int high = (qh[i % 32] >> sub) & 1;
            float d1 = d * sc[sub];
            float m1 = dmin * mn[sub];
            assertThat(y[i]).as("value %d", i).isEqualTo(d1 * (low + 16 * high) - m1);
        }
    }

    @Test
    void q6_K() {
        int[] ql = new int[128];
        int[] qh = new int[64];
        int[] sc = new int[16];
        BlockBuilder b = new BlockBuilder(210);
        for (int i = 0; i < 128; i++) {
            ql[i] = (i * 59 + 13) & 0xFF;
            b.u8(ql[i]);
        }
        for (int i = 0; i < 64; i++) {
            qh[i] = (i * 83 + 1) & 0xFF;
            b.u8(qh[i]);
        }
        for (int i = 0; i < 16; i++) {
            sc[i] = i * 17 - 128;
            b.u8(sc[i]);
        }
        b.u16(D_BITS);
        float[] y = dequantize(GgmlType.Q6_K, b.build(arena), 256);
        float d = half(D_BITS);
        for (int i = 0; i < 256; i++) {
            int h = i / 128;
            int k = (i % 128) / 32;
            int l = i % 32;
            int nibble = (ql[64 * h + 32 * (k % 2) + l] >> (4 * (k / 2))) & 0xF;
            int top = (qh[32 * h + l] >> (2 * k)) & 3;
            int q = (nibble | top << 4) - 32;
            assertThat(y[i]).as("value %d", i).isEqualTo(d * sc[i / 16] * q);
        }
    }

    @Test
    void q8_K() {
        BlockBuilder b = new BlockBuilder(292).f32(0.0123f);
        for (int j = 0; j < 256; j++) {
            b.u8(j * 7);
        }
        for (int g = 0; g < 16; g++) {
            b.u16(0); // bsums are not read when dequantising
        }
        float[] y = dequantize(GgmlType.Q8_K, b.build(arena), 256);
        for (int j = 0; j < 256; j++) {
            assertThat(y[j]).isEqualTo(0.0123f * (byte) (j * 7));
        }
    }

    @Test
    void q8_0QuantisesWithRoundHalfAwayFromZero() {
        float[] x = new float[32];
        x[0] = 127f; // d = 127 / 127 = 1, so q = roundf(x)
        x[1] = 2.5f;
        x[2] = -2.5f;
        x[3] = 0.5f;
        x[4] = -0.5f;
        x[5] = 1.4999999f;
        x[6] = -126.5f;
        MemorySegment s = arena.allocate(34);
        BlockCodecs.of(GgmlType.Q8_0).quantize(x, 0, s, 0, 32);
        assertThat(shorts(s, 1)).containsExactly(0x3C00);
        assertThat(bytes(s, 2, 7)).containsExactly(127, 3, -3, 1, -1, 1, -127);
    }

    @Test
    void q8_KQuantisesWithTiesToEvenAndSignedScale() {
        float[] x = new float[256];
        x[0] = 254f; // largest magnitude, positive: iscale = -127/254 = -0.5, d = -2
        x[1] = 5f; // -2.5 -> -2
        x[2] = 3f; // -1.5 -> -2
        x[3] = -7f; // 3.5 -> 4
        x[16] = -1f; // 0.5 -> 0
        x[17] = -3f; // 1.5 -> 2
        MemorySegment s = arena.allocate(292);
        BlockCodecs.of(GgmlType.Q8_K).quantize(x, 0, s, 0, 256);
        assertThat(s.get(BlockBytes.LE_FLOAT, 0)).isEqualTo(-2.0f);
        assertThat(bytes(s, 4, 4)).containsExactly(-127, -2, -2, 4);
        assertThat(bytes(s, 4 + 16, 2)).containsExactly(0, 2);
        assertThat(s.get(BlockBytes.LE_SHORT, 260)).isEqualTo((short) (-127 - 2 - 2 + 4));
        assertThat(s.get(BlockBytes.LE_SHORT, 262)).isEqualTo((short) 2);
        assertThat(s.get(BlockBytes.LE_SHORT, 264)).isEqualTo((short) 0);
    }

    private static int[] shorts(MemorySegment s, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = s.get(BlockBytes.LE_SHORT, 2L * i) & 0xFFFF;
        }
        return out;
    }

    private static int[] bytes(MemorySegment s, long offset, int count) {
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = BlockBytes.s8(s, offset + i);
        }
        return out;
    }
}
