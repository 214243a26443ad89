package dev.nabd.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Little-endian field access inside ggml blocks. Blocks sit back to back in a file (a Q4_0 block is 18
 * bytes), so every multi-byte field is read with an unaligned layout.
 */
final class BlockBytes {
    static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat LE_FLOAT =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BlockBytes() {
    }

    /** The byte at {@code offset} as an unsigned value 0..255. */
    static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    /** The byte at {@code offset} as a signed value -128..127. */
    static int s8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset);
    }

    /** Stores the low 8 bits of {@code value}, as C's conversion to {@code uint8_t}/{@code int8_t} does. */
    static void put8(MemorySegment s, long offset, int value) {
        s.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    /** An IEEE half-precision value (ggml_half). */
    static float f16(MemorySegment s, long offset) {
        return Float.float16ToFloat(s.get(LE_SHORT, offset));
    }

    /** Stores {@code value} as ggml_half, rounded to nearest even as ggml's GGML_FP32_TO_FP16. */
    static void putF16(MemorySegment s, long offset, float value) {
        s.set(LE_SHORT, offset, Float.floatToFloat16(value));
    }

    /** Fills {@code length} bytes with zero. */
    static void zero(MemorySegment s, long offset, long length) {
        s.asSlice(offset, length).fill((byte) 0);
    }

    /** Throws unless {@code n} is a non-negative whole number of {@code type}'s blocks. */
    static void checkCount(GgmlType type, int n) {
        if (n < 0 || n % type.blockSize() != 0) {
            throw new IllegalArgumentException(
                    n + " values is not a whole number of " + type + " blocks of " + type.blockSize());
        }
    }
}
