package dev.nabd.tokenizer;

import java.util.BitSet;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The special token ids of a vocabulary (BOS, EOS, EOT ...) and the set of ids that end generation,
 * resolved the way llama.cpp resolves them ({@code llama_vocab::impl::load}): per-model defaults, then
 * the GGUF keys, then detection by token text for models whose converter did not name them. Detection
 * also marks such tokens as control tokens, as llama.cpp does, which changes how they tokenize and
 * render.
 */
final class SpecialTokens {

    /** The special tokens a GGUF can name, with their keys. */
    enum Kind {
        BOS("tokenizer.ggml.bos_token_id"),
        EOS("tokenizer.ggml.eos_token_id"),
        EOT("tokenizer.ggml.eot_token_id"),
        EOM("tokenizer.ggml.eom_token_id"),
        UNK("tokenizer.ggml.unknown_token_id"),
        SEP("tokenizer.ggml.seperator_token_id"), // sic: llama.cpp's spelling
        PAD("tokenizer.ggml.padding_token_id"),
        MASK("tokenizer.ggml.mask_token_id"),
        FIM_PRE("tokenizer.ggml.fim_pre_token_id"),
        FIM_SUF("tokenizer.ggml.fim_suf_token_id"),
        FIM_MID("tokenizer.ggml.fim_mid_token_id"),
        FIM_PAD("tokenizer.ggml.fim_pad_token_id"),
        FIM_REP("tokenizer.ggml.fim_rep_token_id"),
        FIM_SEP("tokenizer.ggml.fim_sep_token_id");

        final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    /** Deprecated keys that still name FIM tokens; read after the current ones, so they win. */
    static final Map<String, Kind> DEPRECATED_KEYS = Map.of(
            "tokenizer.ggml.prefix_token_id", Kind.FIM_PRE,
            "tokenizer.ggml.suffix_token_id", Kind.FIM_SUF,
            "tokenizer.ggml.middle_token_id", Kind.FIM_MID);

    private static final Set<String> EOT_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>",
            "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>", "[EOT]", "<｜end▁of▁sentence｜>",
            "<end_of_utterance>");
    private static final Set<String> EOM_TEXTS = Set.of("<|eom_id|>");
    private static final Set<String> FIM_PRE_TEXTS = Set.of("<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>",
            "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>");
    private static final Set<String> FIM_SUF_TEXTS = Set.of("<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>",
            "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>");
    private static final Set<String> FIM_MID_TEXTS = Set.of("<|fim_middle|>", "<fim-middle>", "<fim_middle>",
            "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>");
    private static final Set<String> FIM_PAD_TEXTS = Set.of("<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>",
            "[PAD]");
    private static final Set<String> FIM_REP_TEXTS = Set.of("<|fim_repo|>", "<|repo_name|>", "<fim-repo>",
            "<REPO>", "<reponame>");
    private static final Set<String> FIM_SEP_TEXTS = Set.of("<|file_sep|>");
    /** Texts llama.cpp treats as end of generation wherever they occur (llama.cpp issue 9606). */
    static final Set<String> EOG_TEXTS = Set.of("<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>",
            "<|flush|>", "<|calls|>", "<end_of_turn>", "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>",
            "[EOT]", "[EOS]", "<|end_of_text|>", "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>",
            "<｜end▁of▁sentence｜>", "[e~[");
    /** gpt-oss tokens llama.cpp always renders (it makes them user-defined). */
    private static final Set<String> ALWAYS_RENDERED = Set.of("<|channel|>", "<|message|>", "<|start|>",
            "<|constrain|>");

    private final Map<Kind, Integer> ids;
    private final BitSet endOfGeneration;

    private SpecialTokens(Map<Kind, Integer> ids, BitSet endOfGeneration) {
        this.ids = ids;
        this.endOfGeneration = endOfGeneration;
    }

    /**
     * Special tokens named outright (tokenizer.json loading), without llama.cpp's detection by text.
     *
     * @param ids the ids known, in range
     * @param endOfGeneration the ids that end generation
     */
    static SpecialTokens of(Map<Kind, Integer> ids, BitSet endOfGeneration) {
        Map<Kind, Integer> copy = new EnumMap<>(Kind.class);
        copy.putAll(ids);
        return new SpecialTokens(copy, (BitSet) endOfGeneration.clone());
    }

    /** The id of {@code kind}, or -1. */
    int id(Kind kind) {
        return ids.getOrDefault(kind, -1);
    }

    boolean isEndOfGeneration(int id) {
        return id >= 0 && endOfGeneration.get(id);
    }

    /** Every end-of-generation id, ascending. */
    int[] endOfGenerationIds() {
        return endOfGeneration.stream().toArray();
    }

    /**
     * Resolves the special tokens and marks detected ones in {@code vocab}.
     *
     * @param vocab the vocabulary; attributes are updated as llama.cpp updates them
     * @param defaults per-model default ids (llama.cpp: SPM BOS 1, EOS 2, UNK 0; BPE BOS = EOS = 11)
     * @param declared ids the GGUF keys name, already checked to be in range (llama.cpp ignores an
     *                 out-of-range id and keeps the default)
     */
    static SpecialTokens resolve(Vocabulary vocab, Map<Kind, Integer> defaults, Map<Kind, Integer> declared) {
        int n = vocab.size();
        Map<Kind, Integer> ids = new EnumMap<>(Kind.class);
        defaults.forEach((k, v) -> {
            if (v >= 0 && v < n) {
                ids.put(k, v);
            }
        });
        ids.putAll(declared);

        // Detection by text where the GGUF named nothing (llama.cpp iterates a hash map; we go by id, so
        // when two texts qualify, the lower id wins deterministically).
        for (int id = 0; id < n; id++) {
            String t = vocab.text(id);
            detect(vocab, ids, Kind.EOT, EOT_TEXTS, id, t);
            detect(vocab, ids, Kind.EOM, EOM_TEXTS, id, t);
            detect(vocab, ids, Kind.FIM_PRE, FIM_PRE_TEXTS, id, t);
            detect(vocab, ids, Kind.FIM_SUF, FIM_SUF_TEXTS, id, t);
            detect(vocab, ids, Kind.FIM_MID, FIM_MID_TEXTS, id, t);
            detect(vocab, ids, Kind.FIM_PAD, FIM_PAD_TEXTS, id, t);
            detect(vocab, ids, Kind.FIM_REP, FIM_REP_TEXTS, id, t);
            detect(vocab, ids, Kind.FIM_SEP, FIM_SEP_TEXTS, id, t);
        }

        // control tokens named "...unused..." are unused
        for (int id = 0; id < n; id++) {
            if (vocab.has(id, TokenAttr.CONTROL) && vocab.text(id).contains("unused")) {
                vocab.addAttrs(id, TokenAttr.UNUSED);
            }
        }

        BitSet eog = new BitSet(n);
        for (Kind k : new Kind[] {Kind.FIM_PAD, Kind.FIM_REP, Kind.FIM_SEP}) {
            if (ids.containsKey(k)) {
                eog.set(ids.get(k));
            }
        }
        for (int id = 0; id < n; id++) {
            String t = vocab.text(id);
            if (EOG_TEXTS.contains(t)) {
                eog.set(id);
                vocab.addAttrs(id, TokenAttr.CONTROL);
            }
        }
        for (int id = 0; id < n; id++) {
            if (ALWAYS_RENDERED.contains(vocab.text(id))) {
                vocab.setAttrs(id, TokenAttr.USER_DEFINED);
            }
        }
        for (Kind k : new Kind[] {Kind.EOS, Kind.EOT, Kind.EOM}) {
            if (ids.containsKey(k)) {
                eog.set(ids.get(k));
            }
        }
        dropHarmonyEnd(vocab, eog);
        dropGemma4EndOfSequence(vocab, eog);
        return new SpecialTokens(ids, eog);
    }

    private static void detect(Vocabulary vocab, Map<Kind, Integer> ids, Kind kind, Set<String> texts, int id,
                               String text) {
        if (!ids.containsKey(kind) && texts.contains(text)) {
            ids.put(kind, id);
            vocab.addAttrs(id, TokenAttr.CONTROL);
        }
    }

    /**
     * gpt-oss (o200k_harmony) and solar-open: {@code <|end|>} ends a message, not the generation, when the
     * vocabulary also has {@code <|return|>} and {@code <|call|>} (or {@code <|calls|>} and
     * {@code <|flush|>}).
     */
    private static void dropHarmonyEnd(Vocabulary vocab, BitSet eog) {
        boolean hasReturn = false;
        boolean hasCall = false;
        boolean hasFlush = false;
        int end = -1;
        for (int id = eog.nextSetBit(0); id >= 0; id = eog.nextSetBit(id + 1)) {
            switch (vocab.text(id)) {
                case "<|return|>" -> hasReturn = true;
                case "<|call|>", "<|calls|>" -> hasCall = true;
                case "<|flush|>" -> hasFlush = true;
                case "<|end|>" -> end = id;
                default -> { }
            }
        }
        if (end >= 0 && ((hasReturn && hasCall) || (hasCall && hasFlush))) {
            eog.clear(end);
            vocab.setAttrs(end, TokenAttr.USER_DEFINED);
        }
    }

    /** Gemma 4 and PaddleOCR: {@code </s>} does not end generation when {@code <|tool_response>} does. */
    private static void dropGemma4EndOfSequence(Vocabulary vocab, BitSet eog) {
        boolean hasToolResponse = false;
        int endOfSequence = -1;
        for (int id = eog.nextSetBit(0); id >= 0; id = eog.nextSetBit(id + 1)) {
            if (vocab.text(id).equals("<|tool_response>")) {
                hasToolResponse = true;
            } else if (vocab.text(id).equals("</s>")) {
                endOfSequence = id;
            }
        }
        if (hasToolResponse && endOfSequence >= 0) {
            eog.clear(endOfSequence);
            vocab.setAttrs(endOfSequence, TokenAttr.NORMAL);
        }
    }
}
