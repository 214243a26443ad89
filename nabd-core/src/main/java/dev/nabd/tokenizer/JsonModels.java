package dev.nabd.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the model stage from tokenizer.json's {@code model} object: BPE (merges as {@code "a b"} strings
 * or {@code ["a", "b"]} pairs), WordPiece, Unigram and WordLevel, with Hugging Face's defaults.
 */
final class JsonModels {
    private static final System.Logger LOG = System.getLogger(JsonModels.class.getName());

    private JsonModels() {
    }

    /**
     * A model and its own vocabulary (added tokens that are not in it come on top).
     *
     * @param texts token text by id, {@code null} for ids the model does not use
     * @param unk the unknown token's id, or -1
     */
    record Loaded(Model model, String[] texts, int unk) {
    }

    static Loaded load(JsonNode m) {
        String type = m.has("type") ? m.type() : inferType(m);
        return switch (type) {
            case "BPE" -> bpe(m);
            case "WordPiece" -> wordPiece(m);
            case "Unigram" -> unigram(m);
            case "WordLevel" -> wordLevel(m);
            default -> throw JsonStages.unsupported(m.get("type"), "model", type, "BPE, WordPiece, Unigram, WordLevel");
        };
    }

    /** Files written by old versions may omit the type; the fields tell. */
    private static String inferType(JsonNode m) {
        if (m.has("merges")) {
            return "BPE";
        }
        if (m.get("vocab").isList()) {
            return "Unigram";
        }
        return m.has("continuing_subword_prefix") || m.has("max_input_chars_per_word") ? "WordPiece" : "WordLevel";
    }

    private static Loaded bpe(JsonNode m) {
        JsonNode vocabNode = m.get("vocab");
        String[] texts = vocabTexts(vocabNode);
        StringIntMap vocab = map(texts);
        if (m.has("dropout") && m.get("dropout").number() > 0) {
            LOG.log(System.Logger.Level.WARNING, "BPE dropout " + m.get("dropout").number()
                    + " is for training; tokenizing without it");
        }
        int unk = unkId(m.get("unk_token"), vocab);
        Bpe.Options options = new Bpe.Options(unk, m.get("fuse_unk").bool(false), m.get("byte_fallback").bool(false),
                m.get("ignore_merges").bool(false), m.get("continuing_subword_prefix").string(""),
                m.get("end_of_word_suffix").string(""));
        List<String[]> merges = new ArrayList<>();
        for (JsonNode merge : m.get("merges").list()) {
            merges.add(mergePair(merge));
        }
        try {
            return new Loaded(Bpe.huggingFace(vocab, texts.length, merges, options), texts, Math.max(unk, -1));
        } catch (TokenizerException e) {
            throw m.get("merges").error(e.getMessage());
        }
    }

    /** {@code "a b"} (exactly one space, as Hugging Face requires) or {@code ["a", "b"]}. */
    private static String[] mergePair(JsonNode merge) {
        if (merge.isString()) {
            String s = merge.string();
            int space = s.indexOf(' ');
            if (space < 0 || s.indexOf(' ', space + 1) >= 0) {
                throw merge.error("expected two tokens separated by one space, found \"" + s + "\"");
            }
            return new String[] {s.substring(0, space), s.substring(space + 1)};
        }
        if (merge.isList()) {
            List<JsonNode> pair = merge.list();
            if (pair.size() != 2) {
                throw merge.error("expected a pair of tokens, found " + pair.size() + " elements");
            }
            return new String[] {pair.get(0).string(), pair.get(1).string()};
        }
        throw merge.error("expected a string \"a b\" or a pair [\"a\", \"b\"]");
    }

    private static Loaded wordPiece(JsonNode m) {
        String[] texts = vocabTexts(m.get("vocab"));
        StringIntMap vocab = map(texts);
        String unkToken = m.get("unk_token").string("[UNK]");
        int unk = vocab.get(unkToken);
        return new Loaded(new WordPiece(vocab, maxLength(texts), m.get("continuing_subword_prefix").string("##"),
                m.get("max_input_chars_per_word").integer(100), unk, unkToken), texts, unk);
    }

    private static Loaded wordLevel(JsonNode m) {
        String[] texts = vocabTexts(m.get("vocab"));
        StringIntMap vocab = map(texts);
        String unkToken = m.get("unk_token").string("<unk>");
        int unk = vocab.get(unkToken);
        return new Loaded(new WordLevel(vocab, unk, unkToken), texts, unk);
    }

    private static Loaded unigram(JsonNode m) {
        List<JsonNode> entries = m.get("vocab").list();
        String[] texts = new String[entries.size()];
        double[] scores = new double[entries.size()];
        for (int id = 0; id < texts.length; id++) {
            List<JsonNode> pair = entries.get(id).list();
            if (pair.size() != 2) {
                throw entries.get(id).error("expected [piece, score]");
            }
            texts[id] = pair.get(0).string();
            scores[id] = pair.get(1).number();
        }
        int unk = m.get("unk_id").integer(-1);
        if (unk >= texts.length) {
            throw m.get("unk_id").error("unk_id " + unk + " is not in the vocabulary of " + texts.length);
        }
        return new Loaded(new Unigram(texts, scores, unk, m.get("byte_fallback").bool(false), true), texts, unk);
    }

    /** A {@code {"token": id}} vocabulary as texts by id. */
    private static String[] vocabTexts(JsonNode vocab) {
        Map<String, JsonNode> fields = vocab.fields();
        int max = -1;
        for (JsonNode id : fields.values()) {
            int v = id.integer();
            if (v < 0) {
                throw id.error("negative token id " + v);
            }
            max = Math.max(max, v);
        }
        String[] texts = new String[max + 1];
        fields.forEach((text, id) -> {
            int v = id.integer();
            if (texts[v] != null) {
                throw id.error("id " + v + " is given to both '" + texts[v] + "' and '" + text + "'");
            }
            texts[v] = text;
        });
        return texts;
    }

    private static int maxLength(String[] texts) {
        int max = 0;
        for (String t : texts) {
            max = t == null ? max : Math.max(max, t.length());
        }
        return max;
    }

    private static StringIntMap map(String[] texts) {
        StringIntMap map = new StringIntMap(texts.length);
        for (int id = 0; id < texts.length; id++) {
            if (texts[id] != null) {
                map.put(texts[id], id);
            }
        }
        return map;
    }

    /** The unknown token's id; a name the vocabulary lacks is an error only when a word needs it. */
    private static int unkId(JsonNode unk, StringIntMap vocab) {
        if (unk.isNull()) {
            return -1;
        }
        int id = vocab.get(unk.string());
        return id >= 0 ? id : Bpe.Options.MISSING_UNK;
    }
}
