package dev.nabd.tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * llama.cpp's table of byte-level BPE pre-tokenizers, keyed by {@code tokenizer.ggml.pre}: the regexes
 * of each type (copied from {@code llm_tokenizer_bpe}, in llama.cpp's spelling, so that the hand-coded
 * GPT-2 and Llama 3 splitters are chosen exactly where llama.cpp chooses them) and the flags each name
 * sets. Only types whose regexes this package reproduces are listed; others fail with a clear message.
 */
final class BpePreTokenizers {

    /**
     * What a {@code tokenizer.ggml.pre} value selects.
     *
     * @param name the GGUF value
     * @param regexes the split rules, in order
     * @param ignoreMerges a word that is itself a token is emitted whole, without merging (Llama 3)
     * @param addBos default for {@code tokenizer.ggml.add_bos_token}
     * @param cleanSpaces decoding removes the space before {@code . , ! ?} and some apostrophes
     * @param noBos the type has no BOS token unless the GGUF names one (GLM-4)
     */
    record Config(String name, List<String> regexes, boolean ignoreMerges, boolean addBos, boolean cleanSpaces,
                  boolean noBos) {
    }

    static final List<String> LLAMA3 = List.of(Llama3Splitter.REGEX);

    static final List<String> GPT2 = List.of(Gpt2Splitter.REGEX);

    /** llama.cpp's default list (also for a missing {@code tokenizer.ggml.pre}): GPT-2's regex between three more. */
    static final List<String> DEFAULT = List.of(
            "[\\p{P}\\$\\+<=>\\^~\\|]+",
            Gpt2Splitter.REGEX,
            "\\p{N}+",
            "[0-9][0-9][0-9]");

    static final List<String> QWEN2 = List.of(
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");

    static final List<String> QWEN35 = List.of(
            "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}"
                    + "| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+");

    /**
     * DeepSeek LLM. The second regex lists the cased letters (Lu, Ll, Lt) of an older Unicode version;
     * it is written with escapes because several of its characters (U+1F7D, U+1FBE, U+1FD3, U+1FDB,
     * U+2126, U+212A) change under NFC normalisation.
     */
    static final List<String> DEEPSEEK_LLM = List.of(
            "[\r\n]",
            "\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF"
                    + "\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1"
                    + "\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD"
                    + "\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D"
                    + "\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4"
                    + "\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC"
                    + "\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128"
                    + "\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B"
                    + "\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787"
                    + "\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A"
                    + "\uD801\uDC00-\uD801\uDC4F\uD801\uDCB0-\uD801\uDCD3\uD801\uDCD8-\uD801\uDCFB"
                    + "\uD803\uDC80-\uD803\uDCB2\uD803\uDCC0-\uD803\uDCF2\uD806\uDCA0-\uD806\uDCDF"
                    + "\uD83A\uDD00-\uD83A\uDD43]+",
            "\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+",
            "\\s+$",
            "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+",
            "\\p{N}+");

    static final List<String> DEEPSEEK_CODER = List.of(
            "[\r\n]",
            "\\s?\\p{L}+",
            "\\s?\\p{P}+",
            "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+",
            "\\p{N}");

    static final List<String> DEEPSEEK3 = List.of(
            "\\p{N}{1,3}",
            "[\u4E00-\u9FA5\u3040-\u309F\u30A0-\u30FF]+",
            "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+"
                    + "| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+");

    static final List<String> FALCON = List.of(
            "[\\p{P}\\$\\+<=>\\^~\\|`]+",
            Gpt2Splitter.REGEX,
            "[0-9][0-9][0-9]");

    static final List<String> STARCODER = List.of(
            "\\p{N}",
            Gpt2Splitter.REGEX);

    private static final Map<String, Config> BY_NAME = new HashMap<>();

    static {
        // name(s), regexes, ignoreMerges, addBos, cleanSpaces, noBos — as llama_vocab::impl::load sets them
        register(Set.of("llama3", "llama-v3", "llama-bpe", "falcon3", "falcon-h1", "pixtral", "midm-2.0", "lfm2",
                "jina-v5-nano"), LLAMA3, true, true, true, false);
        register(Set.of("dbrx", "smaug-bpe"), LLAMA3, false, false, true, false);
        register(Set.of("glm4", "chatglm-bpe"), LLAMA3, false, false, true, true);
        register(Set.of("deepseek-llm"), DEEPSEEK_LLM, false, false, false, false);
        register(Set.of("deepseek-coder"), DEEPSEEK_CODER, false, false, false, false);
        register(Set.of("deepseek-v3", "hunyuan-dense", "joyai-llm", "hy_v4"), DEEPSEEK3, false, false, false, false);
        register(Set.of("falcon"), FALCON, false, false, true, false);
        register(Set.of("mpt", "olmo", "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v2-es", "jina-v2-de",
                "a.x-4.0", "mellum", "modern-bert", "exaone4", "jais"),
                GPT2, false, false, true, false);
        register(Set.of("trillion", "granite-docling"), GPT2, false, false, false, false);
        register(Set.of("starcoder", "refact", "codeshell", "exaone", "minerva-7b", "mellum2"), STARCODER,
                false, false, true, false);
        register(Set.of("command-r", "smollm"), STARCODER, false, false, false, false);
        register(Set.of("qwen2", "deepseek-r1-qwen", "kormo", "f2llmv2", "hunyuan", "solar-open"), QWEN2,
                false, false, false, false);
        register(Set.of("stablelm2", "megrez"), QWEN2, false, false, true, false);
        register(Set.of("qwen35"), QWEN35, false, false, false, false);
        register(Set.of("default"), DEFAULT, false, false, true, false);
    }

    private BpePreTokenizers() {
    }

    private static void register(Set<String> names, List<String> regexes, boolean ignoreMerges, boolean addBos,
                                 boolean cleanSpaces, boolean noBos) {
        for (String name : names) {
            BY_NAME.put(name, new Config(name, regexes, ignoreMerges, addBos, cleanSpaces, noBos));
        }
    }

    /**
     * The configuration for a {@code tokenizer.ggml.pre} value; {@code null} (key absent) means
     * "default", as in llama.cpp (which warns that generation quality will suffer).
     *
     * @throws TokenizerException for a pre-tokenizer this package does not implement
     */
    static Config forName(String pre) {
        Config c = BY_NAME.get(pre == null || pre.isEmpty() ? "default" : pre);
        if (c == null) {
            throw new TokenizerException("unsupported pre-tokenizer tokenizer.ggml.pre = '" + pre
                    + "'; supported: " + new java.util.TreeSet<>(BY_NAME.keySet()));
        }
        return c;
    }
}
