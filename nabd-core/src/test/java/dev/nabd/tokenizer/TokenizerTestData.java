package dev.nabd.tokenizer;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufFile;
import dev.nabd.gguf.GgufMetadata;
import dev.nabd.gguf.GgufValue;
import dev.nabd.gguf.GgufValueType;
import dev.nabd.testing.SharedData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/** Locates and reads the shared tokenizer reference data for the tests of this package. */
final class TokenizerTestData {
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-F]{2}>");

    private TokenizerTestData() {
    }

    /** {@code <project root>/../shared}. */
    static Path shared() {
        return SharedData.shared();
    }

    static Path shared(String relative) {
        return shared().resolve(relative);
    }

    static GgufMetadata ggufMetadata(Path file) {
        try (GgufFile f = GgufFile.open(file)) {
            return f.metadata();
        }
    }

    static Tokenizer fromGguf(String relative) {
        return GgufTokenizers.load(ggufMetadata(shared(relative)));
    }

    /** One llama.cpp tokenizer golden case (golden/README.md, "tokenizer/*.tokenize.json"). */
    record GoldenCase(String text, int[] idsSpecial, int[] idsRaw) {
        @Override
        public String toString() {
            return text.length() > 40 ? text.substring(0, 40) + "…" : text;
        }
    }

    static List<GoldenCase> goldenCases(String relative) {
        List<GoldenCase> out = new ArrayList<>();
        for (Object o : Json.array(Json.parse(read(shared(relative))))) {
            Map<String, Object> c = Json.object(o);
            out.add(new GoldenCase((String) c.get("text"), Json.ints(c.get("ids_add_special_parse_special")),
                    Json.ints(c.get("ids_raw"))));
        }
        return out;
    }

    /** One Hugging Face reference case (tokenizers/README.md, "cases.jsonl"). */
    record HfCase(String id, String category, String text, boolean addSpecial, boolean splitSpecial, int[] ids,
                  String decoded, String decodedSkipSpecial) {
        @Override
        public String toString() {
            return id;
        }
    }

    static List<HfCase> hfCases(String relative) {
        List<HfCase> out = new ArrayList<>();
        for (String line : read(shared(relative)).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            Map<String, Object> c = Json.object(Json.parse(line));
            out.add(new HfCase((String) c.get("id"), (String) c.get("category"), (String) c.get("text"),
                    (Boolean) c.get("add_special_tokens"), (Boolean) c.get("split_special_tokens"),
                    Json.ints(c.get("ids")), (String) c.get("decoded"), (String) c.get("decoded_skip_special")));
        }
        return out;
    }

    static String read(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            InputStream s = p.toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GGUF tokenizer metadata equivalent to what llama.cpp's converter writes for a byte-level BPE
     * {@code tokenizer.json}: vocabulary by id, merges, added tokens as control tokens when special (or
     * when they look special: {@code <|...|>}, {@code <｜...｜>}) and user-defined otherwise.
     */
    static GgufMetadata byteLevelMetadata(Path tokenizerJson, String pre, Map<String, GgufValue> extra) {
        Map<String, Object> json = Json.object(Json.parse(read(tokenizerJson)));
        Map<String, Object> model = Json.object(json.get("model"));
        Map<Integer, String> byId = new HashMap<>();
        Map<Integer, Integer> types = new HashMap<>();
        Json.object(model.get("vocab")).forEach((text, id) -> {
            byId.put(((Long) id).intValue(), text);
            types.put(((Long) id).intValue(), 1);
        });
        for (Object o : Json.array(json.get("added_tokens"))) {
            Map<String, Object> t = Json.object(o);
            int id = ((Long) t.get("id")).intValue();
            String content = (String) t.get("content");
            boolean control = (Boolean) t.get("special") || looksSpecial(content);
            byId.put(id, control ? content : content.replace('\u2581', ' '));
            types.put(id, control ? 3 : 4);
        }
        int n = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] tokens = new String[n];
        int[] tokenTypes = new int[n];
        for (int id = 0; id < n; id++) {
            tokens[id] = byId.getOrDefault(id, "[PAD" + id + "]");
            tokenTypes[id] = types.getOrDefault(id, 5);
        }
        List<Object> mergeList = Json.array(model.get("merges"));
        String[] merges = new String[mergeList.size()];
        for (int i = 0; i < merges.length; i++) {
            Object m = mergeList.get(i);
            merges[i] = m instanceof String s ? s : Json.array(m).get(0) + " " + Json.array(m).get(1);
        }
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        kv.put("tokenizer.ggml.model", GgufValue.ofString("gpt2"));
        kv.put("tokenizer.ggml.pre", GgufValue.ofString(pre));
        kv.put("tokenizer.ggml.tokens", GgufValue.ofArray(new GgufArray(GgufValueType.STRING, tokens)));
        kv.put("tokenizer.ggml.token_type", GgufValue.ofArray(new GgufArray(GgufValueType.INT32, tokenTypes)));
        kv.put("tokenizer.ggml.merges", GgufValue.ofArray(new GgufArray(GgufValueType.STRING, merges)));
        kv.putAll(extra);
        return new GgufMetadata(tokenizerJson.toString(), kv);
    }

    /**
     * GGUF metadata for a SentencePiece-style BPE {@code tokenizer.json} (byte fallback, U+2581 for
     * spaces): {@code llama} model, {@code <0xXX>} pieces as byte tokens. A GGUF converted from the
     * SentencePiece model carries its piece scores; tokenizer.json has only the merges, which Hugging
     * Face's converter ordered by those scores, so a piece scores minus the rank of the first merge that
     * forms it (pieces no merge forms score lowest). This matters for runs of spaces: SentencePiece gives
     * "▁▁" and the like very low scores (see Llama 2's GGUF), so they merge last.
     */
    static GgufMetadata sentencePieceMetadata(Path tokenizerJson, Map<String, GgufValue> extra) {
        Map<String, Object> json = Json.object(Json.parse(read(tokenizerJson)));
        Map<String, Object> model = Json.object(json.get("model"));
        String unk = (String) model.get("unk_token");
        Map<Integer, String> byId = new HashMap<>();
        Json.object(model.get("vocab")).forEach((text, id) -> byId.put(((Long) id).intValue(), text));
        Map<Integer, Boolean> special = new HashMap<>();
        for (Object o : Json.array(json.get("added_tokens"))) {
            Map<String, Object> t = Json.object(o);
            int id = ((Long) t.get("id")).intValue();
            byId.put(id, (String) t.get("content"));
            special.put(id, (Boolean) t.get("special"));
        }
        Map<String, Integer> firstMerge = new HashMap<>();
        List<Object> merges = Json.array(model.get("merges"));
        for (int rank = 0; rank < merges.size(); rank++) {
            Object m = merges.get(rank);
            String merged = m instanceof String s ? s.replace(" ", "") : Json.array(m).get(0) + "" + Json.array(m).get(1);
            firstMerge.putIfAbsent(merged, rank);
        }
        int n = byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        String[] tokens = new String[n];
        int[] tokenTypes = new int[n];
        float[] scores = new float[n];
        for (int id = 0; id < n; id++) {
            String t = byId.get(id);
            tokens[id] = t;
            if (t.equals(unk)) {
                tokenTypes[id] = 2;
            } else if (special.getOrDefault(id, false)) {
                tokenTypes[id] = 3;
            } else if (special.containsKey(id)) {
                tokenTypes[id] = 4;
            } else if (BYTE_TOKEN.matcher(t).matches()) {
                tokenTypes[id] = 6;
            } else {
                tokenTypes[id] = 1;
                scores[id] = -firstMerge.getOrDefault(t, 1_000_000_000);
            }
        }
        Map<String, GgufValue> kv = new LinkedHashMap<>();
        kv.put("tokenizer.ggml.model", GgufValue.ofString("llama"));
        kv.put("tokenizer.ggml.tokens", GgufValue.ofArray(new GgufArray(GgufValueType.STRING, tokens)));
        kv.put("tokenizer.ggml.scores", GgufValue.ofArray(new GgufArray(GgufValueType.FLOAT32, scores)));
        kv.put("tokenizer.ggml.token_type", GgufValue.ofArray(new GgufArray(GgufValueType.INT32, tokenTypes)));
        kv.putAll(extra);
        return new GgufMetadata(tokenizerJson.toString(), kv);
    }

    /** llama.cpp's converter ({@code does_token_look_special}) makes such added tokens control tokens. */
    static boolean looksSpecial(String t) {
        return t.equals("<pad>") || t.equals("<mask>") || t.equals("<2mass>") || t.equals("[@BOS@]")
                || (t.startsWith("<|") && t.endsWith("|>"))
                || (t.startsWith("<｜") && t.endsWith("｜>"))
                || (t.startsWith("<unused") && t.endsWith(">"));
    }
}
