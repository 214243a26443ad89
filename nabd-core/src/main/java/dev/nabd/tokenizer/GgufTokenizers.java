package dev.nabd.tokenizer;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufException;
import dev.nabd.gguf.GgufMetadata;
import dev.nabd.gguf.GgufValue;
import dev.nabd.gguf.GgufValueType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds the tokenizer a GGUF file describes in its {@code tokenizer.ggml.*} metadata, reproducing
 * llama.cpp's loader ({@code llama_vocab::impl::load}) so that ids match llama.cpp token for token.
 *
 * <p>Supported {@code tokenizer.ggml.model} values: {@code gpt2} (byte-level BPE, with the pre-tokenizer
 * {@code tokenizer.ggml.pre} selects, see {@link BpePreTokenizers}) and {@code llama} (SentencePiece
 * BPE). Others ({@code bert}, {@code t5}, {@code rwkv} ...) are refused with a {@link TokenizerException}.
 * The tokenizers returned are immutable and safe to share between threads.
 */
public final class GgufTokenizers {
    private static final System.Logger LOG = System.getLogger(GgufTokenizers.class.getName());

    static final String MODEL = "tokenizer.ggml.model";
    static final String PRE = "tokenizer.ggml.pre";
    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPE = "tokenizer.ggml.token_type";
    static final String MERGES = "tokenizer.ggml.merges";
    static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    static final String ADD_EOS = "tokenizer.ggml.add_eos_token";
    static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

    private static final Map<String, String> UNSUPPORTED_MODELS = Map.of(
            "bert", "WordPiece (BERT)",
            "t5", "Unigram (T5)",
            "rwkv", "RWKV world",
            "plamo2", "PLaMo-2",
            "gemma4", "Gemma 4 BPE",
            "hybriddna", "hybrid DNA BPE",
            "whitespace", "whitespace BPE",
            "no_vocab", "no vocabulary",
            "none", "no vocabulary");

    private GgufTokenizers() {
    }

    /**
     * The tokenizer of a GGUF file's metadata.
     *
     * @throws TokenizerException when the tokenizer model or pre-tokenizer is not supported, or a key is
     *                            missing or malformed; the message names it
     */
    public static Tokenizer load(GgufMetadata metadata) {
        String model = metadata.get(MODEL).map(v -> stringValue(MODEL, v))
                .orElseThrow(() -> new TokenizerException("GGUF metadata has no '" + MODEL
                        + "': the file carries no tokenizer"));
        try {
            return switch (model) {
                case "gpt2" -> byteLevelBpe(metadata);
                case "llama" -> sentencePiece(metadata);
                default -> {
                    String what = UNSUPPORTED_MODELS.get(model);
                    throw new TokenizerException(what != null
                            ? "unsupported tokenizer model '" + model + "' (" + what + "); supported: gpt2, llama"
                            : "unknown tokenizer model '" + model + "'; supported: gpt2, llama");
                }
            };
        } catch (GgufException | IllegalStateException | ClassCastException e) {
            throw new TokenizerException("malformed tokenizer metadata: " + e.getMessage(), e);
        }
    }

    private static Tokenizer byteLevelBpe(GgufMetadata md) {
        String pre = md.contains(PRE) ? md.getString(PRE) : null;
        if (pre == null) {
            LOG.log(System.Logger.Level.WARNING, "GGUF has no " + PRE + ": using the 'default' pre-tokenizer, "
                    + "as llama.cpp does; generation quality may suffer");
        }
        BpePreTokenizers.Config config = BpePreTokenizers.forName(pre);
        Vocabulary vocab = vocabulary(md);
        String[] merges = md.findArray(MERGES).map(GgufArray::strings)
                .orElseThrow(() -> new TokenizerException("GGUF metadata has no '" + MERGES
                        + "', which a 'gpt2' tokenizer needs"));

        Map<SpecialTokens.Kind, Integer> defaults = new EnumMap<>(SpecialTokens.Kind.class);
        if (!config.noBos()) {
            defaults.put(SpecialTokens.Kind.BOS, 11); // llama.cpp's BPE defaults (GPT-2's "," ...), kept for fidelity
        }
        defaults.put(SpecialTokens.Kind.EOS, 11);
        SpecialTokens specials = SpecialTokens.resolve(vocab, defaults, declaredIds(md, vocab.size()));
        VocabularyTokenizer.Settings settings = new VocabularyTokenizer.Settings(
                md.getBool(ADD_BOS, config.addBos()),
                md.getBool(ADD_EOS, false),
                md.getBool(ADD_SPACE_PREFIX, false),
                config.cleanSpaces());
        checkAddSpecial(settings, specials);
        adjustStripAttributes(md, vocab);
        return new ByteLevelBpeTokenizer(vocab, specials, settings, PreTokenizer.ofRegexes(config.regexes()),
                new ByteLevelBpe(vocab, merges, config.ignoreMerges()));
    }

    private static Tokenizer sentencePiece(GgufMetadata md) {
        Vocabulary vocab = vocabulary(md);
        Map<SpecialTokens.Kind, Integer> defaults = new EnumMap<>(SpecialTokens.Kind.class);
        defaults.put(SpecialTokens.Kind.BOS, 1);
        defaults.put(SpecialTokens.Kind.EOS, 2);
        defaults.put(SpecialTokens.Kind.UNK, 0);
        SpecialTokens specials = SpecialTokens.resolve(vocab, defaults, declaredIds(md, vocab.size()));
        VocabularyTokenizer.Settings settings = new VocabularyTokenizer.Settings(
                md.getBool(ADD_BOS, true),
                md.getBool(ADD_EOS, false),
                md.getBool(ADD_SPACE_PREFIX, true),
                false);
        checkAddSpecial(settings, specials);
        adjustStripAttributes(md, vocab);
        return new SentencePieceTokenizer(vocab, specials, settings,
                new SentencePieceBpe(vocab, specials.id(SpecialTokens.Kind.UNK)));
    }

    /** Tokens, scores and token types; an empty token becomes {@code [EMPTY_<id>]}, as in llama.cpp. */
    static Vocabulary vocabulary(GgufMetadata md) {
        String[] texts = md.findArray(TOKENS).map(GgufArray::strings)
                .orElseThrow(() -> new TokenizerException("GGUF metadata has no '" + TOKENS + "'"))
                .clone();
        int n = texts.length;
        for (int i = 0; i < n; i++) {
            if (texts[i].isEmpty()) {
                texts[i] = "[EMPTY_" + i + "]";
            }
        }
        float[] scores = new float[n];
        md.findArray(SCORES).ifPresent(a -> {
            checkLength(SCORES, a, n);
            if (a.elementType() == GgufValueType.FLOAT32) {
                System.arraycopy(a.floats(), 0, scores, 0, n);
            } else if (a.elementType() == GgufValueType.INT32) {
                int[] ints = a.ints();
                for (int i = 0; i < n; i++) {
                    scores[i] = ints[i];
                }
            } else {
                throw new TokenizerException("'" + SCORES + "' should hold FLOAT32 or INT32, not " + a.elementType());
            }
        });
        int[] attrs = new int[n];
        Arrays.fill(attrs, TokenAttr.NORMAL);
        md.findArray(TOKEN_TYPE).ifPresent(a -> {
            checkLength(TOKEN_TYPE, a, n);
            int[] types = a.ints();
            for (int i = 0; i < n; i++) {
                attrs[i] = TokenAttr.fromGgufType(types[i]);
            }
        });
        return new Vocabulary(texts, scores, attrs);
    }

    private static void checkLength(String key, GgufArray a, int n) {
        if (a.length() < n) {
            throw new TokenizerException("'" + key + "' has " + a.length() + " entries for " + n + " tokens");
        }
    }

    /** The ids the GGUF keys name, in range only (llama.cpp ignores others and keeps the default). */
    private static Map<SpecialTokens.Kind, Integer> declaredIds(GgufMetadata md, int n) {
        Map<SpecialTokens.Kind, Integer> ids = new EnumMap<>(SpecialTokens.Kind.class);
        for (SpecialTokens.Kind k : SpecialTokens.Kind.values()) {
            readId(md, k.key, n).ifPresent(id -> ids.put(k, id));
        }
        SpecialTokens.DEPRECATED_KEYS.forEach((key, kind) -> readId(md, key, n).ifPresent(id -> ids.put(kind, id)));
        return ids;
    }

    private static Optional<Integer> readId(GgufMetadata md, String key, int n) {
        return md.get(key).flatMap(v -> {
            long id;
            try {
                id = v.asLong();
            } catch (IllegalStateException e) {
                throw new TokenizerException("'" + key + "' should be an integer, not " + v.type(), e);
            }
            if (id < 0 || id >= n) {
                // llama.cpp: "bad special token ... using default id" (e.g. 4294967295 for "none")
                return Optional.empty();
            }
            return Optional.of((int) id);
        });
    }

    private static void checkAddSpecial(VocabularyTokenizer.Settings settings, SpecialTokens specials) {
        if (settings.addBos() && specials.id(SpecialTokens.Kind.BOS) < 0) {
            throw new TokenizerException(ADD_BOS + " is true, but tokenizer.ggml.bos_token_id is not set");
        }
        if (settings.addEos() && specials.id(SpecialTokens.Kind.EOS) < 0) {
            throw new TokenizerException(ADD_EOS + " is true, but tokenizer.ggml.eos_token_id is not set");
        }
    }

    /**
     * The per-model LSTRIP/RSTRIP attributes llama.cpp sets by model name, architecture or pre-tokenizer
     * (GGUF files do not carry them): Phi-3's special tokens swallow the whitespace after them, the
     * {@code <mask>} of some Jina and Nomic models the whitespace before.
     */
    private static void adjustStripAttributes(GgufMetadata md, Vocabulary vocab) {
        String name = md.getString("general.name", "").toLowerCase(Locale.ROOT);
        String pre = md.getString(PRE, "");
        String arch = md.getString("general.architecture", "");
        int special = TokenAttr.CONTROL | TokenAttr.USER_DEFINED | TokenAttr.UNKNOWN;
        if (containsAny(pre, "jina-v2-de", "jina-v2-es", "jina-v2-code") || containsAny(arch, "nomic-bert-moe", "jina-bert-v3")) {
            setAttr(vocab, "<mask>", TokenAttr.LSTRIP, true);
        } else if (containsAny(name, "phi-3", "phi3")) {
            for (int id = 0; id < vocab.size(); id++) {
                if (vocab.has(id, special)) {
                    vocab.addAttrs(id, TokenAttr.RSTRIP);
                }
            }
            setAttr(vocab, "</s>", TokenAttr.RSTRIP, true);
            for (String t : List.of("<unk>", "<s>", "<|endoftext|>")) {
                setAttr(vocab, t, TokenAttr.RSTRIP, false);
            }
        } else if (containsAny(name, "modern-bert")) {
            setAttr(vocab, "[MASK]", TokenAttr.LSTRIP, true);
        }
    }

    private static void setAttr(Vocabulary vocab, String text, int bit, boolean on) {
        int id = vocab.id(text);
        if (id >= 0) {
            vocab.setAttrs(id, on ? vocab.attrs(id) | bit : vocab.attrs(id) & ~bit);
        }
    }

    private static boolean containsAny(String s, String... parts) {
        for (String p : parts) {
            if (s.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private static String stringValue(String key, GgufValue v) {
        if (v.type() != GgufValueType.STRING) {
            throw new TokenizerException("'" + key + "' should be a string, not " + v.type());
        }
        return (String) v.value();
    }
}
