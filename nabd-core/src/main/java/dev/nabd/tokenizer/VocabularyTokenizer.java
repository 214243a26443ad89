package dev.nabd.tokenizer;

import java.util.List;
import java.util.Objects;

/**
 * What llama.cpp's vocabulary-based tokenizers share: special-token splitting, BOS/EOS, pieces,
 * decoding and end-of-generation. Subclasses tokenize the raw text between special tokens.
 */
abstract sealed class VocabularyTokenizer implements Tokenizer permits ByteLevelBpeTokenizer, SentencePieceTokenizer {
    private static final byte[] EMPTY = new byte[0];

    final Vocabulary vocab;
    final SpecialTokens specials;
    final Settings settings;
    private final SpecialTokenSplitter splitter;
    private final byte[][] pieces;
    private final Detokenizer detokenizer;

    /**
     * Flags that shape encoding and decoding.
     *
     * @param addBos {@code encode(..., addSpecial = true, ...)} starts with BOS
     * @param addEos {@code encode(..., addSpecial = true, ...)} ends with EOS
     * @param addSpacePrefix SentencePiece: a space goes in front of the text (and comes off the first
     *                       piece when decoding)
     * @param cleanSpaces decoding removes spaces before punctuation (Hugging Face's
     *                    {@code clean_up_tokenization_spaces})
     */
    record Settings(boolean addBos, boolean addEos, boolean addSpacePrefix, boolean cleanSpaces) {
    }

    VocabularyTokenizer(Vocabulary vocab, SpecialTokens specials, Settings settings, byte[][] pieces) {
        this.vocab = vocab;
        this.specials = specials;
        this.settings = settings;
        this.pieces = pieces;
        this.splitter = new SpecialTokenSplitter(vocab);
        this.detokenizer = new Detokenizer(settings.addSpacePrefix(), settings.cleanSpaces());
    }

    /** Appends the tokens of text between special tokens; {@code fragments} alternate raw text and tokens. */
    abstract void encodeFragments(String text, List<SpecialTokenSplitter.Fragment> fragments, IntList out);

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    @Override
    public int[] encode(String text, boolean addSpecial, boolean parseSpecial) {
        String clean = withoutLoneSurrogates(Objects.requireNonNull(text, "text"));
        IntList out = new IntList(clean.length() / 3 + 4);
        if (addSpecial && settings.addBos()) {
            out.add(specials.id(SpecialTokens.Kind.BOS));
        }
        encodeFragments(clean, splitter.split(clean, parseSpecial), out);
        if (addSpecial && settings.addEos()) {
            out.add(specials.id(SpecialTokens.Kind.EOS));
        }
        return out.toArray();
    }

    @Override
    public byte[] tokenBytes(int id, boolean renderSpecial) {
        return piece(id, renderSpecial).clone();
    }

    @Override
    public int copyTokenBytes(int id, boolean renderSpecial, byte[] dst, int offset) {
        byte[] p = piece(id, renderSpecial);
        if (p.length > dst.length - offset) {
            return -p.length;
        }
        System.arraycopy(p, 0, dst, offset, p.length);
        return p.length;
    }

    /** The cached piece, not a copy: control and unknown tokens are empty unless {@code renderSpecial}. */
    final byte[] piece(int id, boolean renderSpecial) {
        checkId(id);
        if (!renderSpecial && vocab.has(id, TokenAttr.CONTROL | TokenAttr.UNKNOWN)) {
            return EMPTY;
        }
        return pieces[id];
    }

    @Override
    public String decode(int[] ids, boolean renderSpecial) {
        return detokenizer.decode(this, ids, renderSpecial);
    }

    @Override
    public String tokenText(int id) {
        checkId(id);
        return vocab.text(id);
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

    @Override
    public boolean addsBos() {
        return settings.addBos();
    }

    /**
     * A lone surrogate has no UTF-8 form (llama.cpp, which takes UTF-8, turns invalid input into U+FFFD);
     * Java's encoder would silently write '?'.
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
