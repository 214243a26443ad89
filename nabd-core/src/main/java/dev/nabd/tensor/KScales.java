package dev.nabd.tensor;

import static dev.nabd.tensor.BlockBytes.put8;
import static dev.nabd.tensor.BlockBytes.u8;

import java.lang.foreign.MemorySegment;

/**
 * The 12-byte fields in which K-quant super-blocks pack their 6-bit sub-block scales.
 *
 * <p>Q4_K and Q5_K hold eight scales and eight mins (ggml's {@code get_scale_min_k4}): bytes 0..3 carry
 * scales 0..3 in their low 6 bits, bytes 4..7 mins 0..3; scales and mins 4..7 keep their low 4 bits in
 * bytes 8..11 (scale in the low nibble, min in the high one) and their top 2 bits in the top 2 bits of
 * bytes 0..3 (scales) and 4..7 (mins).
 *
 * <p>Q3_K holds sixteen scales, stored biased by 32: the low nibbles of scales 0..7 are the low nibbles
 * of bytes 0..7, those of scales 8..15 the high nibbles of bytes 0..7; the top 2 bits of scale j sit in
 * byte {@code 8 + j % 4} at bit {@code 2·(j / 4)}.
 */
final class KScales {
    private KScales() {
    }

    /** Q4_K/Q5_K scale {@code j} (0..7, value 0..63) of the field at {@code base}. */
    static int scaleK4(MemorySegment s, long base, int j) {
        if (j < 4) {
            return u8(s, base + j) & 63;
        }
        return (u8(s, base + j + 4) & 0xF) | ((u8(s, base + j - 4) >> 6) << 4);
    }

    /** Q4_K/Q5_K min {@code j} (0..7, value 0..63) of the field at {@code base}. */
    static int minK4(MemorySegment s, long base, int j) {
        if (j < 4) {
            return u8(s, base + j + 4) & 63;
        }
        return (u8(s, base + j + 4) >> 4) | ((u8(s, base + j) >> 6) << 4);
    }

    /** Packs eight scales and eight mins, each 0..63, into the field at {@code base}. */
    static void putK4(MemorySegment s, long base, int[] scales, int[] mins) {
        for (int j = 0; j < 4; j++) {
            put8(s, base + j, scales[j] | (scales[j + 4] >> 4) << 6);
            put8(s, base + j + 4, mins[j] | (mins[j + 4] >> 4) << 6);
            put8(s, base + j + 8, (scales[j + 4] & 0xF) | (mins[j + 4] & 0xF) << 4);
        }
    }

    /** Q3_K scale {@code j} (0..15) of the field at {@code base}, bias removed (-32..31). */
    static int scaleQ3(MemorySegment s, long base, int j) {
        int low = j < 8 ? u8(s, base + j) & 0xF : u8(s, base + j - 8) >> 4;
        int high = (u8(s, base + 8 + j % 4) >> (2 * (j / 4))) & 3;
        return (low | high << 4) - 32;
    }

    /** Packs sixteen biased Q3_K scales, each 0..63, into the field at {@code base}. */
    static void putQ3(MemorySegment s, long base, int[] biased) {
        for (int k = 0; k < 8; k++) {
            put8(s, base + k, (biased[k] & 0xF) | (biased[k + 8] & 0xF) << 4);
        }
        for (int i = 0; i < 4; i++) {
            int b = 0;
            for (int g = 0; g < 4; g++) {
                b |= (biased[i + 4 * g] >> 4) << (2 * g);
            }
            put8(s, base + 8 + i, b);
        }
    }
}
