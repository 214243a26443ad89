package dev.nabd.tokenizer;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufMetadata;
import dev.nabd.gguf.GgufValue;
import dev.nabd.gguf.GgufValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds small GGUF tokenizer metadata by hand for unit tests. */
final class TestVocab {
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> types = new ArrayList<>();
    private final List<Float> scores = new ArrayList<>();
    private final List<String> merges = new ArrayList<>();
    private final Map<String, GgufValue> extra = new LinkedHashMap<>();
    private final String model;

    private TestVocab(String model) {
        this.model = model;
    }

    /** A byte-level BPE vocabulary whose first 256 tokens are the bytes, in byte order (as the tiny golden models). */
    static TestVocab byteLevel(String pre) {
        TestVocab v = new TestVocab("gpt2");
        v.extra.put("tokenizer.ggml.pre", GgufValue.ofString(pre));
        for (int b = 0; b < 256; b++) {
            v.token(String.valueOf(ByteUnicode.charOf(b)), 1, 0);
        }
        return v;
    }

    /** A SentencePiece vocabulary: {@code <unk> <s> </s>}, then the 256 byte tokens. */
    static TestVocab sentencePiece() {
        TestVocab v = new TestVocab("llama");
        v.token("<unk>", 2, 0).token("<s>", 3, 0).token("</s>", 3, 0);
        for (int b = 0; b < 256; b++) {
            v.token(String.format("<0x%02X>", b), 6, 0);
        }
        return v;
    }

    static TestVocab empty(String model) {
        return new TestVocab(model);
    }

    TestVocab token(String text, int type, float score) {
        tokens.add(text);
        types.add(type);
        scores.add(score);
        return this;
    }

    /** A normal token. */
    TestVocab token(String text) {
        return token(text, 1, 0);
    }

    /** A merge "left right" and its result as a normal token. */
    TestVocab merge(String left, String right) {
        merges.add(left + " " + right);
        return token(left + right);
    }

    TestVocab key(String key, GgufValue value) {
        extra.put(key, value);
        return this;
    }

    int id(String text) {
        return tokens.indexOf(text);
    }

    GgufMetadata metadata() {
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        kv.put("tokenizer.ggml.model", GgufValue.ofString(model));
        kv.put("tokenizer.ggml.tokens", GgufValue.ofArray(new GgufArray(GgufValueType.STRING, tokens.toArray(String[]::new))));
        kv.put("tokenizer.ggml.token_type", GgufValue.ofArray(new GgufArray(GgufValueType.INT32,
                types.stream().mapToInt(Integer::intValue).toArray())));
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        kv.put("tokenizer.ggml.scores", GgufValue.ofArray(new GgufArray(GgufValueType.FLOAT32, s)));
        if (model.equals("gpt2")) {
            kv.put("tokenizer.ggml.merges", GgufValue.ofArray(new GgufArray(GgufValueType.STRING, merges.toArray(String[]::new))));
        }
        kv.putAll(extra);
        return new GgufMetadata("test", kv);
    }

    Tokenizer build() {
        return GgufTokenizers.load(metadata());
    }
}
