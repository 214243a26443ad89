package dev.nabd.kernel;

import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Method;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@link RowOps} for each weight type: the Vector API kernel where one exists and the Vector API is
 * in use, else decoding through the type's codec. Chosen once per type.
 */
public final class RowOpsProvider {
    private static final Method PANAMA = findPanama();
    private static final Map<GgmlType, RowOps> CACHE = new EnumMap<>(GgmlType.class);

    private RowOpsProvider() {
    }

    private static Method findPanama() {
        if (!(FloatOpsProvider.get() instanceof PanamaFloatOps)) {
            return null;
        }
        try {
            return Class.forName("dev.nabd.kernel.PanamaRows").getDeclaredMethod("of", GgmlType.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** The row kernel for {@code type}. */
    public static synchronized RowOps of(GgmlType type) {
        return CACHE.computeIfAbsent(type, t -> {
            if (t == GgmlType.F32) {
                return new F32Rows(FloatOpsProvider.get());
            }
            RowOps vector = panama(t);
            return vector != null ? vector : new CodecRowOps(BlockCodecs.of(t), FloatOpsProvider.get());
        });
    }

    /** The codec-based kernel for {@code type}, whatever is available (the reference in tests). */
    public static RowOps reference(GgmlType type) {
        return new CodecRowOps(BlockCodecs.of(type), FloatOpsProvider.scalar());
    }

    private static RowOps panama(GgmlType t) {
        if (PANAMA == null) {
            return null;
        }
        try {
            return (RowOps) PANAMA.invoke(null, t);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** F32 rows are read straight from the mapping. */
    private record F32Rows(FloatOps ops) implements RowOps {
        /** A constant: {@code withOrder} makes a new layout at each call (an F32 KV cache allocated per step). */
        private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        @Override
        public float dot(MemorySegment w, long off, float[] x, int xOff, int n) {
            return ops.dot(w, off, x, xOff, n);
        }

        @Override
        public void dequantize(MemorySegment w, long off, float[] out, int outOff, int n) {
            MemorySegment.copy(w, LE_FLOAT, off, out, outOff, n);
        }
    }
}
