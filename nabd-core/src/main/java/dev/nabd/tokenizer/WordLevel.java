package dev.nabd.tokenizer;

/** The WordLevel model (Hugging Face's {@code WordLevel}): a word is its token, or the unknown token. */
final class WordLevel implements Model {
    private final StringIntMap vocab;
    private final int unk;
    private final String unkToken;

    WordLevel(StringIntMap vocab, int unk, String unkToken) {
        this.vocab = vocab;
        this.unk = unk;
        this.unkToken = unkToken;
    }

    @Override
    public void tokenize(String word, IntList out) {
        int id = vocab.get(word);
        if (id < 0) {
            if (unk < 0) {
                throw new TokenizerException("the WordLevel model's unk_token '" + unkToken + "' is not in its vocabulary");
            }
            id = unk;
        }
        out.add(id);
    }
}
