package dev.nabd.model;

/**
 * Keys and values of every past position, per layer, for one sequence: the whole context is allocated
 * up front so decoding never allocates. Layout per layer: {@code [position][kvHeads × headDim]}, so one
 * position's keys for all heads are contiguous and a head's key at a position starts at
 * {@code position·kvDim + head·headDim}.
 */
public final class KvCache {
    private final float[][] keys;
    private final float[][] values;
    private final int contextLength;
    private final int kvDim;
    private final int vDim;

    public KvCache(ModelConfig c, int contextLength) {
        this.contextLength = contextLength;
        this.kvDim = c.kvDim();
        this.vDim = c.vDim();
        long perLayer = (long) contextLength * Math.max(kvDim, vDim);
        if (perLayer > Integer.MAX_VALUE - 16) {
            throw new ModelException("a context of " + contextLength + " positions does not fit one layer's KV cache");
        }
        this.keys = new float[c.layers()][contextLength * kvDim];
        this.values = new float[c.layers()][contextLength * vDim];
    }

    /** Number of positions the cache holds. */
    public int contextLength() {
        return contextLength;
    }

    /** Keys of layer {@code l}, laid out as described above. */
    public float[] keys(int l) {
        return keys[l];
    }

    /** Values of layer {@code l}. */
    public float[] values(int l) {
        return values[l];
    }

    /** Stores one position's keys and values for layer {@code l}. */
    public void store(int l, int position, float[] k, int kOff, float[] v, int vOff) {
        System.arraycopy(k, kOff, keys[l], position * kvDim, kvDim);
        System.arraycopy(v, vOff, values[l], position * vDim, vDim);
    }

    /** Bytes held by the cache. */
    public long byteSize() {
        return 4L * keys.length * contextLength * (kvDim + vDim);
    }
}
