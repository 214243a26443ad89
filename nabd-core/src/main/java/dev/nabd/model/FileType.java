package dev.nabd.model;

import dev.nabd.tensor.GgmlType;

import java.util.Locale;

/**
 * A whole-file quantisation scheme ("ftype" in llama.cpp, stored as {@code general.file_type}) and the
 * type it gives each tensor, following llama-quantize's choices so that files we write have the same
 * per-tensor mix as the files users download:
 * <ul>
 *   <li>norms, biases and other 1-D tensors stay F32;</li>
 *   <li>the output matrix (or the token embedding when it doubles as the output) gets Q6_K in the
 *       quantised schemes below Q8_0;</li>
 *   <li>the _M K-quant schemes give {@code attn_v} and {@code ffn_down} of the first and last eighth of
 *       the layers, and of every third layer between, one step more bits (Q6_K for Q4_K_M);</li>
 *   <li>a K-quant that does not fit a tensor's row length (not a multiple of 256) falls back as
 *       llama-quantize does: Q4_K → Q5_0, Q5_K → Q5_1, Q6_K → Q8_0, Q2_K/Q3_K → Q4_0 (llama-quantize uses
 *       IQ4_NL there, which nabd does not support).</li>
 * </ul>
 */
public enum FileType {
    F32(0, GgmlType.F32),
    F16(1, GgmlType.F16),
    Q4_0(2, GgmlType.Q4_0),
    Q4_1(3, GgmlType.Q4_1),
    Q8_0(7, GgmlType.Q8_0),
    Q5_0(8, GgmlType.Q5_0),
    Q5_1(9, GgmlType.Q5_1),
    Q2_K(10, GgmlType.Q2_K),
    Q3_K_M(12, GgmlType.Q3_K),
    Q4_K_S(14, GgmlType.Q4_K),
    Q4_K_M(15, GgmlType.Q4_K),
    Q5_K_S(16, GgmlType.Q5_K),
    Q5_K_M(17, GgmlType.Q5_K),
    Q6_K(18, GgmlType.Q6_K),
    BF16(32, GgmlType.BF16);

    private final int id;
    private final GgmlType base;

    FileType(int id, GgmlType base) {
        this.id = id;
        this.base = base;
    }

    /** The value of {@code general.file_type}. */
    public int id() {
        return id;
    }

    /** The type most matrices get. */
    public GgmlType baseType() {
        return base;
    }

    /** The scheme called {@code name} (case-insensitive, e.g. {@code q4_k_m}), or {@code null}. */
    public static FileType byName(String name) {
        for (FileType f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }

    /** The scheme with {@code general.file_type} {@code id}, or {@code null}. */
    public static FileType byId(int id) {
        for (FileType f : values()) {
            if (f.id == id) {
                return f;
            }
        }
        return null;
    }

    /**
     * The type of a 2-D weight.
     *
     * @param role which matrix: {@code output} (also the embedding when tied), {@code token_embd},
     *             {@code attn_v}, {@code ffn_down} or anything else
     * @param layer the layer index (ignored for the non-layer matrices)
     * @param layers number of layers
     * @param rowLength values per row, to check the block size fits
     */
    public GgmlType matrixType(String role, int layer, int layers, long rowLength) {
        GgmlType t = base;
        boolean belowQ8 = this != F32 && this != F16 && this != BF16 && this != Q8_0 && this != Q6_K;
        if (role.equals("output") && belowQ8) {
            t = GgmlType.Q6_K;
        } else if ((role.equals("attn_v") || role.equals("ffn_down")) && moreBits(layer, layers)) {
            t = switch (this) {
                case Q4_K_M -> GgmlType.Q6_K;
                case Q5_K_M -> GgmlType.Q6_K;
                case Q3_K_M -> GgmlType.Q4_K;
                default -> t;
            };
        }
        return fitting(t, rowLength);
    }

    /** llama.cpp's {@code use_more_bits}: the first and last eighth of the layers, and every third between. */
    static boolean moreBits(int layer, int layers) {
        return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
    }

    private static GgmlType fitting(GgmlType t, long rowLength) {
        if (rowLength % t.blockSize() == 0) {
            return t;
        }
        GgmlType fallback = switch (t) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            default -> t;
        };
        if (rowLength % fallback.blockSize() != 0) {
            return GgmlType.F16;
        }
        return fallback;
    }

    /** The name as llama.cpp prints it, e.g. {@code Q4_K_M}. */
    public String label() {
        return name().toUpperCase(Locale.ROOT);
    }
}
