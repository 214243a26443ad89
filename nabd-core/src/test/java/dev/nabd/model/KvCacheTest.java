package dev.nabd.model;

import dev.nabd.tensor.BlockCodec;
import dev.nabd.tensor.BlockCodecs;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What attention reads back is what was stored, position by position, head by head and layer by layer,
 * through each layout: every key and value equals its own row encoded and decoded by the type's codec,
 * over a context that ends in a partial block, with keys and values of different widths.
 */
class KvCacheTest {
    private static final ModelConfig CONFIG = new ModelConfig(Architecture.LLAMA, 128, 2, 4, 2, 32, 64, 256, 100, 128,
            1e-5f, 10000f, 32, 1f);
    private static final int CONTEXT = 2 * KvCache.BLOCK + 6;

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0"})
    void blocksReadBackTheStoredRows(GgmlType type) {
        KvCache cache = new KvCache(CONFIG, CONTEXT, type);
        int kvDim = CONFIG.kvDim();
        int vDim = CONFIG.vDim();
        SplittableRandom r = new SplittableRandom(5);
        float[][][] k = new float[CONFIG.layers()][CONTEXT][kvDim];
        float[][][] v = new float[CONFIG.layers()][CONTEXT][vDim];
        for (int l = 0; l < CONFIG.layers(); l++) {
            for (int p = 0; p < CONTEXT; p++) {
                for (int i = 0; i < kvDim; i++) {
                    k[l][p][i] = (float) r.nextGaussian();
                }
                for (int i = 0; i < vDim; i++) {
                    v[l][p][i] = (float) r.nextGaussian();
                }
                cache.store(l, p, k[l][p], 0, v[l][p], 0);
            }
        }
        int headDim = CONFIG.headDim();
        int valueDim = CONFIG.valueDim();
        float[] keys = new float[2 * KvCache.BLOCK * headDim];
        float[] values = new float[KvCache.BLOCK * valueDim];
        for (int l = 0; l < CONFIG.layers(); l++) {
            for (int h = 0; h < CONFIG.kvHeads(); h++) {
                for (int first = 0; first < CONTEXT; first += KvCache.BLOCK) {
                    int n = Math.min(KvCache.BLOCK, CONTEXT - first);
                    cache.keyBlock(l, first, n, h, keys);
                    cache.valueBlock(l, first, n, h, values);
                    for (int j = 0; j < n; j++) {
                        float[] key = roundTrip(type, k[l][first + j], h * headDim, headDim);
                        float[] value = roundTrip(type, v[l][first + j], h * valueDim, valueDim);
                        for (int d = 0; d < headDim; d++) {
                            assertThat(keys[d * KvCache.BLOCK + j]).as("layer %d head %d position %d key %d", l, h, first + j, d)
                                    .isEqualTo(key[d]);
                        }
                        for (int i = 0; i < valueDim; i++) {
                            assertThat(values[j * valueDim + i]).as("layer %d head %d position %d value %d", l, h, first + j, i)
                                    .isEqualTo(value[i]);
                        }
                    }
                }
            }
        }
    }

    /** A position outside the context is refused: in this layout it would land in the next head's positions. */
    @Test
    void positionsOutsideTheContextAreRefused() {
        KvCache cache = new KvCache(CONFIG, CONTEXT, GgmlType.F16);
        float[] k = new float[CONFIG.kvDim()];
        float[] v = new float[CONFIG.vDim()];
        assertThatThrownBy(() -> cache.store(0, CONTEXT, k, 0, v, 0))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("position " + CONTEXT + " outside a context of " + CONTEXT);
        assertThatThrownBy(() -> cache.store(0, -1, k, 0, v, 0))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** {@code n} values from {@code off}, encoded in {@code type} and decoded. */
    private static float[] roundTrip(GgmlType type, float[] x, int off, int n) {
        BlockCodec codec = BlockCodecs.of(type);
        MemorySegment seg = MemorySegment.ofArray(new byte[(int) type.bytesFor(n)]);
        codec.quantize(x, off, seg, 0, n);
        float[] out = new float[n];
        codec.dequantize(seg, 0, out, 0, n);
        return out;
    }
}
