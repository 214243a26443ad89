package dev.nabd.tokenizer;

/**
 * Token attributes as llama.cpp keeps them (a bit set per token, {@code llama_token_attr}). They start
 * from the GGUF token type but llama.cpp adds bits while loading (a {@code <|im_end|>} stored as
 * user-defined becomes control too), so a single type per token would not do.
 */
final class TokenAttr {
    static final int UNKNOWN = 1;
    static final int UNUSED = 1 << 1;
    static final int NORMAL = 1 << 2;
    static final int CONTROL = 1 << 3;
    static final int USER_DEFINED = 1 << 4;
    static final int BYTE = 1 << 5;
    /** Strip whitespace left of this special token when it is split out of text (a few models only). */
    static final int LSTRIP = 1 << 7;
    /** Strip whitespace right of this special token when it is split out of text (a few models only). */
    static final int RSTRIP = 1 << 8;

    private TokenAttr() {
    }

    /**
     * The attributes of a GGUF {@code tokenizer.ggml.token_type} value: 1 normal, 2 unknown, 3 control,
     * 4 user-defined, 5 unused, 6 byte; anything else is "undefined" (no bits), as in llama.cpp.
     */
    static int fromGgufType(int type) {
        return switch (type) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> 0;
        };
    }
}
