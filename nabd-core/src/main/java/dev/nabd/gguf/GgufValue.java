package dev.nabd.gguf;

import java.util.Objects;

/**
 * One typed metadata value. Scalars are boxed Java values of the matching width ({@code Byte} for UINT8
 * and INT8, {@code Short}, {@code Integer}, {@code Long}, {@code Float}, {@code Double}, {@code Boolean},
 * {@code String}); arrays are {@link GgufArray}. The GGUF type is kept so that a file can be written back
 * bit for bit.
 *
 * @param type the GGUF type
 * @param value the value
 */
public record GgufValue(GgufValueType type, Object value) {

    public GgufValue {
        Objects.requireNonNull(type);
        Objects.requireNonNull(value);
    }

    public static GgufValue ofString(String s) {
        return new GgufValue(GgufValueType.STRING, s);
    }

    public static GgufValue ofUint32(int v) {
        return new GgufValue(GgufValueType.UINT32, v);
    }

    public static GgufValue ofInt32(int v) {
        return new GgufValue(GgufValueType.INT32, v);
    }

    public static GgufValue ofFloat32(float v) {
        return new GgufValue(GgufValueType.FLOAT32, v);
    }

    public static GgufValue ofBool(boolean v) {
        return new GgufValue(GgufValueType.BOOL, v);
    }

    public static GgufValue ofArray(GgufArray a) {
        return new GgufValue(GgufValueType.ARRAY, a);
    }

    /** This integer value as a {@code long}, unsigned types read as unsigned. */
    public long asLong() {
        return switch (type) {
            case UINT8 -> Byte.toUnsignedLong((Byte) value);
            case INT8 -> (Byte) value;
            case UINT16 -> Short.toUnsignedLong((Short) value);
            case INT16 -> (Short) value;
            case UINT32 -> Integer.toUnsignedLong((Integer) value);
            case INT32 -> (Integer) value;
            case UINT64, INT64 -> (Long) value;
            case BOOL -> (Boolean) value ? 1 : 0;
            default -> throw new IllegalStateException("not an integer: " + type);
        };
    }

    /** This numeric value as a {@code double}. */
    public double asDouble() {
        return switch (type) {
            case FLOAT32 -> (Float) value;
            case FLOAT64 -> (Double) value;
            default -> asLong();
        };
    }

    @Override
    public String toString() {
        return switch (type) {
            case STRING -> '"' + (String) value + '"';
            case BOOL -> (Boolean) value ? "true" : "false";
            case ARRAY, FLOAT32, FLOAT64 -> value.toString();
            default -> Long.toString(asLong());
        };
    }
}
