package dev.nabd.tokenizer;

import dev.nabd.json.JsonParseException;
import dev.nabd.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Loads a Hugging Face {@code tokenizer.json} as the stages of a {@link Tokenizer}, so that it encodes
 * and decodes exactly as the {@code tokenizers} library does: {@code encode(text, addSpecial,
 * parseSpecial)} is {@code encode(text, add_special_tokens=addSpecial)} with
 * {@code split_special_tokens = !parseSpecial}, and {@code decode(ids, renderSpecial)} is
 * {@code decode(ids, skip_special_tokens = !renderSpecial)}.
 *
 * <p>tokenizer.json says nothing of BOS and EOS: they come from a {@code tokenizer_config.json} beside
 * it when there is one ({@code bos_token}, {@code eos_token}), else BOS is the token the post-processor
 * puts first. Truncation and padding settings are ignored, as {@code tokenizer(text)} in transformers
 * ignores them by default.
 */
public final class TokenizerJson {
    private static final System.Logger LOG = System.getLogger(TokenizerJson.class.getName());

    private static final String FILE = "tokenizer.json";
    private static final String CONFIG = "tokenizer_config.json";

    private TokenizerJson() {
    }

    /**
     * Loads {@code path}: a tokenizer.json file (plain or gzipped), or a folder holding
     * {@code tokenizer.json} (or {@code tokenizer.json.gz}); a {@code tokenizer_config.json} next to it
     * is read too.
     *
     * @throws TokenizerException when the file is missing, not JSON, or describes a tokenizer this
     *                            package cannot build; the message names the file and the field at fault
     * @throws UncheckedIOException when a file cannot be read
     */
    public static Tokenizer load(Path path) {
        Path file = path;
        if (Files.isDirectory(path)) {
            file = path.resolve(FILE);
            if (!Files.exists(file) && Files.exists(path.resolve(FILE + ".gz"))) {
                file = path.resolve(FILE + ".gz");
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new TokenizerException(file + ": no such file");
        }
        Path dir = file.toAbsolutePath().getParent();
        Path config = dir == null ? null : dir.resolve(CONFIG);
        String configText = config != null && Files.isRegularFile(config) ? read(config) : null;
        return parse(read(file), configText, file.toString());
    }

    /**
     * Builds the tokenizer of a tokenizer.json text.
     *
     * @param configJson the text of tokenizer_config.json, or {@code null}
     * @param source the file name, for error messages
     * @throws TokenizerException when the text is not JSON or not a tokenizer this package can build
     */
    public static Tokenizer parse(String json, String configJson, String source) {
        JsonNode root = JsonNode.root(source, parseJson(json, source));
        root.object();
        JsonModels.Loaded model = JsonModels.load(root.get("model"));
        Normalizer normalizer = JsonStages.normalizer(root.get("normalizer"));
        List<AddedVocabulary.AddedToken> added = addedTokens(root.get("added_tokens"), model.texts());
        Vocabulary vocab = vocabulary(model.texts(), added);
        Decoder decoder = JsonStages.decoder(root.get("decoder"));
        PostProcessor post = JsonStages.postProcessor(root.get("post_processor"));
        TokenPieces pieces = new TokenPieces(vocab, TokenPieces.decoded(vocab, decoder), TokenAttr.CONTROL);
        PipelineTokenizer.Stages stages = new PipelineTokenizer.Stages(new AddedVocabulary(added, normalizer),
                JsonStages.preTokenizer(root.get("pre_tokenizer")), model.model(), post);
        JsonNode config = configJson == null ? null : JsonNode.root(CONFIG, parseJson(configJson, CONFIG));
        return new PipelineTokenizer(vocab, specialTokens(vocab, config, post, model.unk()), stages, pieces,
                new DecoderChain(vocab, pieces, decoder));
    }

    private static Object parseJson(String json, String source) {
        try {
            return JsonReader.parse(json);
        } catch (JsonParseException e) {
            throw new TokenizerException(source + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The added tokens with the ids Hugging Face gives them: a token already in the model's vocabulary
     * keeps its id; any other gets the next id after the vocabulary and the added tokens so far (the
     * {@code id} written in the file is only checked, as Hugging Face does). Special tokens come first
     * in the list, then the others.
     */
    private static List<AddedVocabulary.AddedToken> addedTokens(JsonNode list, String[] modelTexts) {
        if (list.isNull()) {
            return List.of();
        }
        StringIntMap modelIds = new StringIntMap(modelTexts.length);
        int modelSize = 0;
        for (int id = 0; id < modelTexts.length; id++) {
            if (modelTexts[id] != null) {
                modelIds.put(modelTexts[id], id);
                modelSize++;
            }
        }
        List<JsonNode> entries = list.list();
        // Hugging Face's add_tokens: first every special content, in order; then ids, in order
        java.util.Set<String> special = new java.util.LinkedHashSet<>();
        for (JsonNode t : entries) {
            if (t.get("special").bool(false) && !t.get("content").string().isEmpty()) {
                special.add(t.get("content").string());
            }
        }
        java.util.Set<String> others = new java.util.LinkedHashSet<>();
        Map<String, Integer> ids = new LinkedHashMap<>();
        Map<Integer, AddedVocabulary.AddedToken> byId = new LinkedHashMap<>();
        int maxAdded = -1;
        for (JsonNode t : entries) {
            String content = t.get("content").string();
            if (content.isEmpty()) {
                continue;
            }
            boolean isSpecial = t.get("special").bool(false);
            Integer id = ids.get(content);
            if (id == null) {
                int inModel = modelIds.get(content);
                id = inModel >= 0 ? inModel
                        : maxAdded < 0 ? modelSize
                        : maxAdded >= modelSize || modelSize == 0 ? maxAdded + 1 : modelSize;
            }
            if (t.has("id") && t.get("id").integer() != id) {
                LOG.log(System.Logger.Level.WARNING, "added token '" + content + "' has id " + t.get("id").integer()
                        + " in the file but gets id " + id + ", as in Hugging Face");
            }
            ids.put(content, id);
            maxAdded = Math.max(maxAdded, id);
            byId.put(id, new AddedVocabulary.AddedToken(id, content, isSpecial, t.get("lstrip").bool(false),
                    t.get("rstrip").bool(false), t.get("normalized").bool(!isSpecial), t.get("single_word").bool(false)));
            if (!special.contains(content)) {
                others.add(content);
            }
        }
        List<AddedVocabulary.AddedToken> out = new ArrayList<>();
        for (String content : special) {
            out.add(byId.get(ids.get(content)));
        }
        for (String content : others) {
            out.add(byId.get(ids.get(content)));
        }
        return out;
    }

    /** Model tokens, with added tokens over them at their ids; special added tokens are control tokens. */
    private static Vocabulary vocabulary(String[] modelTexts, List<AddedVocabulary.AddedToken> added) {
        int size = modelTexts.length;
        for (AddedVocabulary.AddedToken t : added) {
            size = Math.max(size, t.id() + 1);
        }
        String[] texts = java.util.Arrays.copyOf(modelTexts, size);
        int[] attrs = new int[size];
        for (int id = 0; id < modelTexts.length; id++) {
            attrs[id] = modelTexts[id] != null ? TokenAttr.NORMAL : 0;
        }
        for (AddedVocabulary.AddedToken t : added) {
            texts[t.id()] = t.content();
            attrs[t.id()] = t.special() ? TokenAttr.CONTROL : TokenAttr.USER_DEFINED;
        }
        return new Vocabulary(texts, new float[size], attrs);
    }

    /**
     * BOS and EOS from tokenizer_config.json (else BOS is the first token the post-processor adds);
     * generation ends at EOS and at special tokens llama.cpp knows as end-of-turn texts.
     */
    private static SpecialTokens specialTokens(Vocabulary vocab, JsonNode config, PostProcessor post, int unk) {
        Map<SpecialTokens.Kind, Integer> ids = new EnumMap<>(SpecialTokens.Kind.class);
        if (config != null && config.isObject()) {
            configToken(vocab, config.get("bos_token")).ifPresent(id -> ids.put(SpecialTokens.Kind.BOS, id));
            configToken(vocab, config.get("eos_token")).ifPresent(id -> ids.put(SpecialTokens.Kind.EOS, id));
            configToken(vocab, config.get("pad_token")).ifPresent(id -> ids.put(SpecialTokens.Kind.PAD, id));
        } else {
            int[] specials = post.process(new int[0], true);
            if (specials.length > 0) {
                ids.put(SpecialTokens.Kind.BOS, specials[0]);
            }
        }
        if (unk >= 0) {
            ids.put(SpecialTokens.Kind.UNK, unk);
        }
        BitSet eog = new BitSet(vocab.size());
        if (ids.containsKey(SpecialTokens.Kind.EOS)) {
            eog.set(ids.get(SpecialTokens.Kind.EOS));
        }
        for (int id = 0; id < vocab.size(); id++) {
            if (vocab.has(id, TokenAttr.CONTROL) && SpecialTokens.EOG_TEXTS.contains(vocab.text(id))) {
                eog.set(id);
            }
        }
        return SpecialTokens.of(ids, eog);
    }

    /** A token named in tokenizer_config.json: a string, or an object with {@code content}. */
    private static java.util.Optional<Integer> configToken(Vocabulary vocab, JsonNode token) {
        String text = token.isNull() ? null : token.isString() ? token.string() : token.get("content").string();
        int id = text == null ? -1 : vocab.id(text);
        return id >= 0 ? java.util.Optional.of(id) : java.util.Optional.empty();
    }

    /** The text of a file, gunzipped when it starts with the gzip magic bytes. */
    static String read(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1F && b1 == 0x8B) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }
}
