package dev.nabd.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A GGUF metadata array: its element type and its values.
 *
 * <p>Values are held in the most compact Java array that keeps every bit: {@code byte[]} for UINT8, INT8
 * and BOOL, {@code short[]} for 16-bit types, {@code int[]} for 32-bit integers, {@code long[]} for
 * 64-bit integers, {@code float[]}, {@code double[]}, {@code String[]}, and {@code GgufArray[]} for nested
 * arrays. Unsigned values keep their bit pattern (read them with {@link Integer#toUnsignedLong} and
 * friends).
 *
 * @param elementType the type of every element
 * @param values the elements, as described above
 */
public record GgufArray(GgufValueType elementType, Object values) {

    public GgufArray {
        Objects.requireNonNull(elementType);
        Objects.requireNonNull(values);
    }

    /** Number of elements. */
    public int length() {
        return java.lang.reflect.Array.getLength(values);
    }

    /** The elements as strings; fails when this is not a string array. */
    public String[] strings() {
        return (String[]) requireType(GgufValueType.STRING);
    }

    /** The elements as 32-bit floats (FLOAT32 arrays only). */
    public float[] floats() {
        return (float[]) requireType(GgufValueType.FLOAT32);
    }

    /** The elements widened to {@code int}, for any integer element type that fits (unsigned kept unsigned up to 32 bits). */
    public int[] ints() {
        int n = length();
        int[] out = new int[n];
        switch (values) {
            case int[] a -> System.arraycopy(a, 0, out, 0, n);
            case short[] a -> {
                for (int i = 0; i < n; i++) {
                    out[i] = elementType == GgufValueType.UINT16 ? Short.toUnsignedInt(a[i]) : a[i];
                }
            }
            case byte[] a -> {
                for (int i = 0; i < n; i++) {
                    out[i] = elementType == GgufValueType.INT8 ? a[i] : Byte.toUnsignedInt(a[i]);
                }
            }
            case long[] a -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Math.toIntExact(a[i]);
                }
            }
            default -> throw new IllegalStateException("not an integer array: " + elementType);
        }
        return out;
    }

    private Object requireType(GgufValueType t) {
        if (elementType != t) {
            throw new IllegalStateException("array of " + elementType + ", not " + t);
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray other
                && elementType == other.elementType
                && Arrays.deepEquals(new Object[] {values}, new Object[] {other.values});
    }

    @Override
    public int hashCode() {
        return elementType.hashCode() * 31 + Arrays.deepHashCode(new Object[] {values});
    }

    @Override
    public String toString() {
        return "[" + length() + " x " + elementType + "]";
    }
}
