package dev.nabd.tensor;

import java.util.Objects;

/** The {@link BlockCodec} of each ggml type nabd can read and write. */
public final class BlockCodecs {
    private BlockCodecs() {
    }

    /**
     * The codec for {@code type}. Every type with {@link GgmlType#supported()} has one, and so does
     * {@link GgmlType#Q8_K}, which only activations use.
     *
     * @throws IllegalArgumentException if nabd has no codec for {@code type}
     */
    public static BlockCodec of(GgmlType type) {
        Objects.requireNonNull(type, "type");
        return switch (type) {
            case F32 -> F32Codec.INSTANCE;
            case F16 -> F16Codec.INSTANCE;
            case BF16 -> BF16Codec.INSTANCE;
            case Q8_0 -> Q8_0Codec.INSTANCE;
            case Q4_0 -> LegacyQuantCodec.Q4_0;
            case Q4_1 -> LegacyQuantCodec.Q4_1;
            case Q5_0 -> LegacyQuantCodec.Q5_0;
            case Q5_1 -> LegacyQuantCodec.Q5_1;
            case Q2_K -> Q2_KCodec.INSTANCE;
            case Q3_K -> Q3_KCodec.INSTANCE;
            case Q4_K -> Q45_KCodec.Q4_K;
            case Q5_K -> Q45_KCodec.Q5_K;
            case Q6_K -> Q6_KCodec.INSTANCE;
            case Q8_K -> Q8_KCodec.INSTANCE;
            default -> throw new IllegalArgumentException("no block codec for ggml type " + type);
        };
    }
}
