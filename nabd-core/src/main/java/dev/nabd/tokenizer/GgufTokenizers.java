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
 * {@code tokenizer.ggml.pre} selects, see {@link BpePreTokenizers}), {@code llama} (SentencePiece BPE)
 * and {@code bert} (WordPiece). Others ({@code t5}, {@code rwkv} ...) are refused with a
 * {@link TokenizerException}. The tokenizers returned are immutable and safe to share between threads.
 *
 * <p>The tokenizers are built from the same stages as those of {@link TokenizerJson} (a
 * {@link PipelineTokenizer}); only the stages that must follow llama.cpp where it differs from Hugging
 * Face are its own: the special-token partition, the regex split on collapsed text, SentencePiece merging
 * by score, and the detokenizer.
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
    static final String ADD_SEP = "tokenizer.ggml.add_sep_token";
    static final String CLS = "tokenizer.ggml.cls_token_id";

    private static final Map<String, String> UNSUPPORTED_MODELS = Map.of(
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
                case "bert" -> wordPiece(metadata);
                default -> {
                    String what = UNSUPPORTED_MODELS.get(model);
                    throw new TokenizerException(what != null
                            ? "unsupported tokenizer model '" + model + "' (" + what + "); supported: gpt2, llama, bert"
                            : "unknown tokenizer model '" + model + "'; supported: gpt2, llama, bert");
                }
            };
        } catch (GgufException | IllegalStateException | ClassCastException e) {
            throw new TokenizerException("malformed tokenizer metadata: " + e.getMessage(), e);
        }
    }

    /**
     * The flags that shape encoding and decoding.
     *
     * @param addBos {@code encode(..., addSpecial = true, ...)} starts with BOS
     * @param addEos {@code encode(..., addSpecial = true, ...)} ends with EOS
     * @param addSpacePrefix SentencePiece: a space goes in front of the text (and comes off the first
     *                       piece when decoding)
     * @param cleanSpaces decoding removes spaces before punctuation (Hugging Face's
     *                    {@code clean_up_tokenization_spaces})
     */
    private record Settings(boolean addBos, boolean addEos, boolean addSpacePrefix, boolean cleanSpaces) {
    }

    /**
     * {@code gpt2}: llama.cpp's special-token partition, its regex split for {@code tokenizer.ggml.pre}
     * and the byte-to-character mapping ({@link ByteLevelPreTokenizer}), then {@link Bpe} over the merges.
     */
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
        Settings settings = new Settings(
                md.getBool(ADD_BOS, config.addBos()),
                md.getBool(ADD_EOS, false),
                md.getBool(ADD_SPACE_PREFIX, false),
                config.cleanSpaces());
        checkAddSpecial(settings, specials);
        adjustStripAttributes(md, vocab);
        PreTokenizer split = PreTokenizer.sequence(List.of(
                LlamaCppSplit.of(config.regexes()), new ByteLevelPreTokenizer(false, false)));
        return pipeline(vocab, specials, settings, Normalizer.NONE, split,
                Bpe.llamaCpp(vocab, merges, config.ignoreMerges()), TokenPieces.byteLevel(vocab), bosEos(settings, specials));
    }

    /**
     * {@code llama}: llama.cpp's special-token partition, a space in front of each stretch of text and
     * U+2581 for spaces (as normalizers), no pre-tokenization, then {@link SentencePieceBpe} by score.
     */
    private static Tokenizer sentencePiece(GgufMetadata md) {
        Vocabulary vocab = vocabulary(md);
        Map<SpecialTokens.Kind, Integer> defaults = new EnumMap<>(SpecialTokens.Kind.class);
        defaults.put(SpecialTokens.Kind.BOS, 1);
        defaults.put(SpecialTokens.Kind.EOS, 2);
        defaults.put(SpecialTokens.Kind.UNK, 0);
        SpecialTokens specials = SpecialTokens.resolve(vocab, defaults, declaredIds(md, vocab.size()));
        Settings settings = new Settings(
                md.getBool(ADD_BOS, true),
                md.getBool(ADD_EOS, false),
                md.getBool(ADD_SPACE_PREFIX, true),
                false);
        checkAddSpecial(settings, specials);
        adjustStripAttributes(md, vocab);
        Normalizer spaces = Normalizers.Replace.literal(" ", "\u2581");
        Normalizer normalizer = settings.addSpacePrefix()
                ? new Normalizers.Sequence(List.of(new Normalizers.Prepend(" "), spaces))
                : spaces;
        return pipeline(vocab, specials, settings, normalizer, PreTokenizer.sequence(List.of()),
                new SentencePieceBpe(vocab, specials.id(SpecialTokens.Kind.UNK)), TokenPieces.sentencePiece(vocab),
                bosEos(settings, specials));
    }

    /**
     * {@code bert}: llama.cpp's special-token partition and WordPiece preparation
     * ({@link LlamaCppWordPiece}), {@code [CLS] $A [SEP]} with special tokens.
     */
    private static Tokenizer wordPiece(GgufMetadata md) {
        Vocabulary vocab = vocabulary(md);
        Map<SpecialTokens.Kind, Integer> defaults = new EnumMap<>(SpecialTokens.Kind.class);
        // llama.cpp's BERT defaults; its converter writes the CLS id as cls_token_id (older files) and bos_token_id
        defaults.put(SpecialTokens.Kind.BOS, readId(md, CLS, vocab.size()).orElse(101));
        defaults.put(SpecialTokens.Kind.UNK, 100);
        defaults.put(SpecialTokens.Kind.SEP, 102);
        defaults.put(SpecialTokens.Kind.PAD, 0);
        defaults.put(SpecialTokens.Kind.MASK, 103);
        SpecialTokens specials = SpecialTokens.resolve(vocab, defaults, declaredIds(md, vocab.size()));
        Settings settings = new Settings(md.getBool(ADD_BOS, true), false, md.getBool(ADD_SPACE_PREFIX, false), true);
        checkAddSpecial(settings, specials);
        adjustStripAttributes(md, vocab);
        boolean addSep = md.getBool(ADD_SEP, true);
        int sep = specials.id(SpecialTokens.Kind.SEP);
        if (addSep && sep < 0) {
            throw new TokenizerException(ADD_SEP + " is true, but " + SpecialTokens.Kind.SEP.key + " is not set");
        }
        int[] bos = settings.addBos() ? new int[] {specials.id(SpecialTokens.Kind.BOS)} : new int[0];
        int[] eos = addSep ? new int[] {sep} : new int[0];
        return pipeline(vocab, specials, settings, LlamaCppWordPiece.normalizer(), LlamaCppWordPiece.preTokenizer(),
                LlamaCppWordPiece.model(vocab, specials.id(SpecialTokens.Kind.UNK)), TokenPieces.sentencePiece(vocab),
                PostProcessor.Template.around(bos, eos));
    }

    /** The stages both GGUF types share: llama.cpp's special tokens, BOS/EOS, pieces and detokenizer. */
    private static Tokenizer pipeline(Vocabulary vocab, SpecialTokens specials, Settings settings, Normalizer normalizer,
                                      PreTokenizer preTokenizer, Model model, byte[][] pieceBytes, PostProcessor post) {
        TokenPieces pieces = new TokenPieces(vocab, pieceBytes, TokenAttr.CONTROL | TokenAttr.UNKNOWN);
        PipelineTokenizer.Stages stages = new PipelineTokenizer.Stages(new SpecialTokenSplitter(vocab, normalizer),
                preTokenizer, model, post);
        return new PipelineTokenizer(vocab, specials, stages, pieces,
                new Detokenizer(pieces, settings.addSpacePrefix(), settings.cleanSpaces()));
    }

    /** BOS and EOS as the settings ask. */
    private static PostProcessor bosEos(Settings settings, SpecialTokens specials) {
        int[] bos = settings.addBos() ? new int[] {specials.id(SpecialTokens.Kind.BOS)} : new int[0];
        int[] eos = settings.addEos() ? new int[] {specials.id(SpecialTokens.Kind.EOS)} : new int[0];
        return PostProcessor.Template.around(bos, eos);
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

    private static void checkAddSpecial(Settings settings, SpecialTokens specials) {
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
