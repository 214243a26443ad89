package dev.nabd.model;

import dev.nabd.kernel.RowOps;
import dev.nabd.kernel.RowOpsProvider;
import dev.nabd.tensor.BlockCodec;
import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Keys and values of every past position, per layer, for one sequence, stored in F32, F16 or Q8_0. The
 * whole context is allocated up front (off the Java heap) so decoding never allocates.
 *
 * <p>Layout per layer: one row per position of {@code kvHeads × headDim} values in the cache type, so a
 * head's keys at a position are {@link #headBytes()} bytes at {@code keyOffset(position, head)}: the
 * attention kernels read them with the same row kernels as weights.
 */
public final class KvCache {
    private final MemorySegment[] keys;
    private final MemorySegment[] values;
    private final int contextLength;
    private final GgmlType type;
    private final BlockCodec codec;
    private final RowOps rows;
    private final long keyRowBytes;
    private final long valueRowBytes;
    private final long keyHeadBytes;
    private final long valueHeadBytes;

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
        this.keyRowBytes = type.bytesFor(c.kvDim());
        this.valueRowBytes = type.bytesFor(c.vDim());
        this.keyHeadBytes = type.bytesFor(c.headDim());
        this.valueHeadBytes = type.bytesFor(c.valueDim());
        Arena arena = Arena.ofAuto();
        this.keys = new MemorySegment[c.layers()];
        this.values = new MemorySegment[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            keys[l] = arena.allocate(keyRowBytes * contextLength, 64);
            values[l] = arena.allocate(valueRowBytes * contextLength, 64);
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

    /** The kernels that read this cache's rows (looked up once, not per attention step). */
    public RowOps rows() {
        return rows;
    }

    /** Keys of layer {@code l}. */
    public MemorySegment keys(int l) {
        return keys[l];
    }

    /** Values of layer {@code l}. */
    public MemorySegment values(int l) {
        return values[l];
    }

    /** Byte offset of kv-head {@code head}'s keys at {@code position}. */
    public long keyOffset(int position, int head) {
        return position * keyRowBytes + head * keyHeadBytes;
    }

    /** Byte offset of kv-head {@code head}'s values at {@code position}. */
    public long valueOffset(int position, int head) {
        return position * valueRowBytes + head * valueHeadBytes;
    }

    /** Stores (encodes) one position's keys and values for layer {@code l}. */
    public void store(int l, int position, float[] k, int kOff, float[] v, int vOff, int kvDim, int vDim) {
        codec.quantize(k, kOff, keys[l], position * keyRowBytes, kvDim);
        codec.quantize(v, vOff, values[l], position * valueRowBytes, vDim);
    }

    /** Bytes held by the cache. */
    public long byteSize() {
        return (long) keys.length * contextLength * (keyRowBytes + valueRowBytes);
    }
}
