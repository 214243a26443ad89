package dev.nabd.tokenizer;

import java.util.Objects;

/**
 * The one tokenizer of this package, a pipeline of stages as in Hugging Face {@code tokenizers}:
 * <pre>
 *   text ─► added tokens ─► normalizer ─► pre-tokenizer ─► model ─► post-processor ─► ids
 *   ids ─► decoder ─► text           (and per token: pieces, for streaming)
 * </pre>
 * The tokenizer.json loader ({@link TokenizerJson}) and the GGUF loader ({@link GgufTokenizers}) only
 * choose and configure stages; encoding and decoding always run here. Immutable and thread-safe.
 */
final class PipelineTokenizer implements Tokenizer {

    /**
     * The encoding stages. The normalizer belongs to the added-token stage, which normalizes the text
     * between the tokens it finds (as Hugging Face's {@code AddedVocabulary} does).
     */
    record Stages(AddedTokenSplitter addedTokens, PreTokenizer preTokenizer, Model model, PostProcessor postProcessor) {
    }

    private final Vocabulary vocab;
    private final SpecialTokens specials;
    private final Stages stages;
    private final TokenPieces pieces;
    private final TextDecoder decoder;

    PipelineTokenizer(Vocabulary vocab, SpecialTokens specials, Stages stages, TokenPieces pieces, TextDecoder decoder) {
        this.vocab = vocab;
        this.specials = specials;
        this.stages = stages;
        this.pieces = pieces;
        this.decoder = decoder;
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        String clean = withoutLoneSurrogates(Objects.requireNonNull(text, "text"));
        IntList out = new IntList(clean.length() / 3 + 4);
        Model model = stages.model();
        PreTokenizer.WordSink words = (word, atStart) -> model.tokenize(word, out);
        stages.addedTokens().split(clean, parseSpecial, new AddedTokenSplitter.Sink() {
            @Override
            public void token(int id) {
                out.add(id);
            }

            @Override
            public void text(String normalized, boolean atStart) {
                stages.preTokenizer().split(normalized, atStart, words);
            }
        });
        return stages.postProcessor().process(out.toArray(), addSpecial);
    }

    @Override
    public byte[] tokenBytes(int id, boolean renderSpecial) {
        return pieces.piece(id, renderSpecial).clone();
    }

    @Override
    public int copyTokenBytes(int id, boolean renderSpecial, byte[] dst, int offset) {
        byte[] p = pieces.piece(id, renderSpecial);
        if (p.length > dst.length - offset) {
            return -p.length;
        }
        System.arraycopy(p, 0, dst, offset, p.length);
        return p.length;
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        return decoder.decode(ids, renderSpecial);
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        String text = vocab.text(id);
        return text == null ? "" : text;
    }

    @Override
    public int bosId() {
        return specials.id(SpecialTokens.Kind.BOS);
    }

    @Override
    public int eosId() {
        return specials.id(SpecialTokens.Kind.EOS);
    }

    @Override
    public boolean isEndOfGeneration(int id) {
        return specials.isEndOfGeneration(id);
    }

    @Override
    public int[] endOfGenerationIds() {
        return specials.endOfGenerationIds();
    }

    /**
     * A lone surrogate has no UTF-8 form (llama.cpp, which takes UTF-8, turns invalid input into U+FFFD,
     * and so does Python when it reads such bytes); Java's encoder would silently write '?'.
     */
    static String withoutLoneSurrogates(String text) {
        StringBuilder fixed = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a proper pair
                continue;
            }
            if (fixed == null) {
                fixed = new StringBuilder(text);
            }
            fixed.setCharAt(i, '\uFFFD');
        }
        return fixed == null ? text : fixed.toString();
    }

    private void checkId(int id) {
        if (!vocab.isValid(id)) {
            throw new IllegalArgumentException("token id " + id + " out of range [0, " + vocab.size() + ")");
        }
    }
}
