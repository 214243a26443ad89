package dev.nabd.tensor;

/**
 * The ggml tensor element types that can appear in a GGUF file, with their block layout.
 *
 * <p>A quantised type stores {@link #blockSize()} values in {@link #bytesPerBlock()} bytes. The ids are
 * ggml's (they are what a GGUF tensor directory stores). Types nabd cannot compute with are still listed
 * so that {@code inspect} can describe a file holding them; {@link #supported()} says which ones the
 * engine can multiply.
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true),
    Q5_1(7, 32, 24, true),
    Q8_0(8, 32, 34, true),
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, true),
    Q3_K(11, 256, 110, true),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false),
    MXFP4(39, 32, 17, false);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int bytesPerBlock;
    private final boolean supported;

    GgmlType(int id, int blockSize, int bytesPerBlock, boolean supported) {
        this.id = id;
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
        this.supported = supported;
    }

    /** The type with ggml id {@code id}, or {@code null} when the id is not a known ggml type. */
    public static GgmlType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** The type named {@code name} (case-insensitive, e.g. {@code q4_k}), or {@code null}. */
    public static GgmlType byName(String name) {
        for (GgmlType t : values()) {
            if (t.name().equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }

    /** ggml's numeric id of this type. */
    public int id() {
        return id;
    }

    /** Number of values stored in one block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes one block occupies. */
    public int bytesPerBlock() {
        return bytesPerBlock;
    }

    /** Whether the engine can dequantise and multiply tensors of this type. */
    public boolean supported() {
        return supported;
    }

    /** Whether this is a block-quantised type (as opposed to a plain float type). */
    public boolean quantized() {
        return blockSize > 1;
    }

    /**
     * Bytes taken by {@code elements} values, or -1 when {@code elements} is not a whole number of blocks.
     * Throws {@link ArithmeticException} on overflow.
     */
    public long bytesFor(long elements) {
        if (elements % blockSize != 0) {
            return -1;
        }
        return Math.multiplyExact(elements / blockSize, (long) bytesPerBlock);
    }
}
