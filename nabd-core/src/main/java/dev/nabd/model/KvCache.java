package dev.nabd.model;

import dev.nabd.kernel.RowOps;
import dev.nabd.kernel.RowOpsProvider;
import dev.nabd.tensor.BlockCodec;
import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Keys and values of every past position, per layer, for one sequence, stored in F32, F16 or Q8_0. The
 * whole context is allocated up front (off the Java heap) so decoding never allocates.
 *
 * <p>Attention reads the cache a block of {@link #BLOCK} positions and one KV head at a time, keys as
 * {@link #keyBlock} and values as {@link #valueBlock} give them, so the cache is laid out for that: per
 * layer, KV head after KV head, each head's positions in order, so that a block of a head is one run of
 * memory decoded in one call, and a head's blocks one stream forward (a stream the hardware prefetches;
 * blocks of alternating heads, each a 4 KB page of its own, read at a third of the speed in a test):
 * <ul>
 *   <li>values, and Q8_0 keys: {@code [kvHead][position][dim]}, a row of a head's values per position
 *       in the cache type (Q8_0's blocks of 32 run along a head, as ggml quantises its cache);</li>
 *   <li>F32 and F16 keys: {@code [kvHead][position / BLOCK][dim][position % BLOCK]}, transposed in their
 *       blocks, so {@code BLOCK} consecutive values are one dimension of every position: attention's
 *       scores become multiply-adds of whole vectors of positions by one query value, with no sum across
 *       lanes ({@link dev.nabd.kernel.FloatOps#scores}). Storing a position writes its keys one value at a
 *       time (64 or 128 per head, token and layer).</li>
 * </ul>
 * Against rows of all heads per position, read a position at a time and dotted key by key (qwen2.5-0.5b
 * Q4_0, one thread, alternating builds): generation after 4096 positions 30.3-33.2 -> 36.6-37.2 tokens/s,
 * after 1024 48.5-52.4 -> 53.2-55.8.
 */
public final class KvCache {
    /** Positions per block of the layout: attention's blocks of keys and values start at multiples of it. */
    public static final int BLOCK = 32;

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment[] keys;
    private final MemorySegment[] values;
    private final int contextLength;
    private final GgmlType type;
    private final BlockCodec codec;
    private final RowOps rows;
    /** F32 and F16: keys transposed in their blocks (see the class comment). */
    private final boolean transposedKeys;
    private final int kvHeads;
    private final int headDim;
    private final int valueDim;
    private final long keyHeadBytes;    // one head's keys at one position
    private final long valueHeadBytes;  // one head's values at one position
    private final long layerPositions;  // the context rounded up to whole blocks
    private final long elementBytes;    // F32 and F16: bytes per value

    /**
     * @param type F32, F16 or Q8_0; a type whose blocks do not fit a head falls back to F16
     */
    public KvCache(ModelConfig c, int contextLength, GgmlType type) {
        if (type != GgmlType.F32 && type != GgmlType.F16 && type != GgmlType.Q8_0) {
            throw new IllegalArgumentException("the KV cache can be f32, f16 or q8_0, not " + type);
        }
        if (c.headDim() % type.blockSize() != 0 || c.valueDim() % type.blockSize() != 0) {
            type = GgmlType.F16;
        }
        this.type = type;
        this.codec = BlockCodecs.of(type);
        this.rows = RowOpsProvider.of(type);
        this.contextLength = contextLength;
        this.transposedKeys = type.blockSize() == 1;
        this.kvHeads = c.kvHeads();
        this.headDim = c.headDim();
        this.valueDim = c.valueDim();
        this.keyHeadBytes = type.bytesFor(c.headDim());
        this.valueHeadBytes = type.bytesFor(c.valueDim());
        this.elementBytes = transposedKeys ? type.bytesFor(1) : 0;
        this.layerPositions = (contextLength + BLOCK - 1L) / BLOCK * BLOCK;
        Arena arena = Arena.ofAuto();
        this.keys = new MemorySegment[c.layers()];
        this.values = new MemorySegment[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            keys[l] = arena.allocate(layerPositions * kvHeads * keyHeadBytes, 64);
            values[l] = arena.allocate(layerPositions * kvHeads * valueHeadBytes, 64);
        }
    }

    /** Number of positions the cache holds. */
    public int contextLength() {
        return contextLength;
    }

    /** The type the cache stores keys and values in. */
    public GgmlType type() {
        return type;
    }

    /**
     * Where head {@code head}'s row of {@code headBytes} at {@code position} starts in the untransposed
     * layout; for the first position of a block, where the head's part of the block starts in either.
     */
    private long rowAt(int position, int head, long headBytes) {
        return (head * layerPositions + position) * headBytes;
    }

    /**
     * The keys of KV head {@code head} at positions {@code first .. first+n} of layer {@code l}, as floats,
     * transposed: {@code out[d·BLOCK + j]} is value d of position first+j. Lanes j from n to BLOCK hold
     * whatever the cache or {@code out} held there (each lane is a position of its own: a reader takes the
     * first n). {@code out} has room for {@code 2·BLOCK·headDim} floats (a Q8_0 cache decodes its rows
     * into the second half before it moves their values into place).
     *
     * @param first a multiple of {@link #BLOCK}
     * @param n positions, 1 to {@link #BLOCK}
     */
    public void keyBlock(int l, int first, int n, int head, float[] out) {
        long at = rowAt(first, head, keyHeadBytes);
        if (transposedKeys) {
            rows.dequantize(keys[l], at, out, 0, BLOCK * headDim);
            return;
        }
        int rowsAt = BLOCK * headDim;
        rows.dequantize(keys[l], at, out, rowsAt, n * headDim);
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < headDim; d++) {
                out[d * BLOCK + j] = out[rowsAt + j * headDim + d];
            }
        }
    }

    /**
     * The values of KV head {@code head} at positions {@code first .. first+n} of layer {@code l}, as
     * floats, one position after another: {@code out[j·valueDim + i]}.
     *
     * @param first a multiple of {@link #BLOCK}
     * @param n positions, 1 to {@link #BLOCK}
     */
    public void valueBlock(int l, int first, int n, int head, float[] out) {
        rows.dequantize(values[l], rowAt(first, head, valueHeadBytes), out, 0, n * valueDim);
    }

    /**
     * Stores (encodes) one position's keys and values for layer {@code l}: {@code kvHeads·headDim} keys
     * from {@code k[kOff ..]} and {@code kvHeads·valueDim} values from {@code v[vOff ..]}, head after head.
     */
    public void store(int l, int position, float[] k, int kOff, float[] v, int vOff) {
        if (position < 0 || position >= contextLength) {
            // Past the context a position would land in the next head's positions, not out of bounds.
            throw new IndexOutOfBoundsException("position " + position + " outside a context of " + contextLength);
        }
        for (int h = 0; h < kvHeads; h++) {
            if (transposedKeys) {
                long first = rowAt(position - position % BLOCK, h, keyHeadBytes) + position % BLOCK * elementBytes;
                // Value by value, as the codecs encode them (F16: rounded to nearest even); a codec call per
                // value allocated (a heap segment for each copy, 1.4 KB a step with an F32 cache).
                for (int d = 0; d < headDim; d++) {
                    float value = k[kOff + h * headDim + d];
                    long at = first + d * BLOCK * elementBytes;
                    if (type == GgmlType.F16) {
                        keys[l].set(HALF, at, Float.floatToFloat16(value));
                    } else {
                        keys[l].set(FLOAT, at, value);
                    }
                }
            } else {
                codec.quantize(k, kOff + h * headDim, keys[l], rowAt(position, h, keyHeadBytes), headDim);
            }
            codec.quantize(v, vOff + h * valueDim, values[l], rowAt(position, h, valueHeadBytes), valueDim);
        }
    }

    /** Bytes held by the cache. */
    public long byteSize() {
        return keys.length * layerPositions * kvHeads * (keyHeadBytes + valueHeadBytes);
    }
}
