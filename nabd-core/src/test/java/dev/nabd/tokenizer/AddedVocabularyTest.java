package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Added tokens and their flags, as Hugging Face's AddedVocabulary finds them. */
class AddedVocabularyTest {
    /** Letters and space as a WordLevel vocabulary (ids 0-31) split per character, and added tokens on top (32-). */
    private static Tokenizer withAdded(String normalizer, String... added) {
        StringBuilder vocab = new StringBuilder("'[UNK]': 0");
        String letters = " abcdefghijklmnopqrstuvwxyz<>|_";
        for (int i = 0; i < letters.length(); i++) {
            vocab.append(", '").append(letters.charAt(i)).append("': ").append(i + 1);
        }
        return StageJson.tokenizer("{'model': {'type': 'WordLevel', 'unk_token': '[UNK]', 'vocab': {" + vocab + "}},"
                + " 'normalizer': " + normalizer + ","
                + " 'pre_tokenizer': {'type': 'Split', 'pattern': {'Regex': '.'}, 'behavior': 'Isolated', 'invert': false},"
                + " 'added_tokens': [" + String.join(", ", added) + "]}");
    }

    private static String token(int id, String content, boolean special, String flags) {
        return "{'id': " + id + ", 'content': '" + content + "', 'special': " + special + ", " + flags + "}";
    }

    private static String plain(int id, String content, boolean special) {
        return token(id, content, special, "'single_word': false, 'lstrip': false, 'rstrip': false, 'normalized': false");
    }

    private static final int A = 2;
    private static final int B = 3;
    private static final int SPACE = 1;

    @Test
    void specialTokensOnlyWhenParsedNonSpecialAlways() {
        Tokenizer t = withAdded("null", plain(32, "<s>", true), plain(33, "<think>", false));
        assertThat(t.encode("a<s>b", false, true)).containsExactly(A, 32, B);
        assertThat(t.encode("a<s>b", false, false)).containsExactly(A, 28, 20, 29, B);
        assertThat(t.encode("<think>a", false, false)).containsExactly(33, A);
    }

    /** Ids of new tokens follow the vocabulary in file order, whatever id the file writes. */
    @Test
    void newTokensGetTheNextIds() {
        Tokenizer t = withAdded("null", plain(500, "<x>", true), plain(7, "<y>", false), plain(3, "a", true));
        assertThat(t.encode("<x><y>a", false, true)).containsExactly(32, 33, A);
        assertThat(t.vocabSize()).isEqualTo(34);
        assertThat(t.tokenText(32)).isEqualTo("<x>");
    }

    @Test
    void leftmostLongestWins() {
        Tokenizer t = withAdded("null", plain(32, "ab", false), plain(33, "bcd", false), plain(34, "abc", false));
        // at the leftmost position "abc" is longer than "ab"; "bcd" starts later
        assertThat(t.encode("abcd", false, true)).containsExactly(34, 5);
    }

    /** A special token that is not parsed still uses up its text: no token inside it is found. */
    @Test
    void anUnparsedSpecialTokenHidesTokensInsideIt() {
        Tokenizer t = withAdded("null", plain(32, "<ab>", true), plain(33, "ab", false));
        assertThat(t.encode("<ab>ab", false, true)).containsExactly(32, 33);
        assertThat(t.encode("<ab>ab", false, false)).containsExactly(28, A, B, 29, 33);
    }

    @Test
    void lstripAndRstripTakeTheWhitespace() {
        Tokenizer t = withAdded("null",
                token(32, "<m>", true, "'single_word': false, 'lstrip': true, 'rstrip': false, 'normalized': false"),
                token(33, "<n>", true, "'single_word': false, 'lstrip': false, 'rstrip': true, 'normalized': false"));
        assertThat(t.encode("a  <m> b", false, true)).containsExactly(A, 32, SPACE, B);
        assertThat(t.encode("a <n>  b", false, true)).containsExactly(A, SPACE, 33, B);
        assertThat(t.encode("a\u3000<m>", false, true)).containsExactly(A, 32); // Unicode whitespace too
    }

    @Test
    void singleWordTokensNeedWordBoundaries() {
        Tokenizer t = withAdded("null",
                token(32, "ab", false, "'single_word': true, 'lstrip': false, 'rstrip': false, 'normalized': false"));
        assertThat(t.encode("ab ab", false, true)).containsExactly(32, SPACE, 32);
        assertThat(t.encode("xab abx a_ab", false, true))
                .containsExactly(25, A, B, SPACE, A, B, 25, SPACE, A, 31, A, B);
        assertThat(t.encode("ab,", false, true)).containsExactly(32, 0);
    }

    /** A normalized token is matched in its normalized form, in the normalized text. */
    @Test
    void normalizedTokensMatchAfterNormalization() {
        Tokenizer t = withAdded("{'type': 'Lowercase'}",
                token(32, "AB", false, "'single_word': false, 'lstrip': false, 'rstrip': false, 'normalized': true"),
                token(33, "CD", false, "'single_word': false, 'lstrip': false, 'rstrip': false, 'normalized': false"));
        assertThat(t.encode("xAbx", false, true)).containsExactly(25, 32, 25);
        assertThat(t.encode("CDcd", false, true)).containsExactly(33, 4, 5); // raw match only
    }

    @Test
    void specialTokensAreHiddenWhenSkipped() {
        Tokenizer t = withAdded("null", plain(32, "<s>", true), plain(33, "<t>", false));
        int[] ids = t.encode("<s>a<t>", false, true);
        assertThat(t.decode(ids, true)).isEqualTo("<s> a <t>"); // no decoder: tokens joined by spaces
        assertThat(t.decode(ids, false)).isEqualTo("a <t>");
        assertThat(t.tokenBytes(32, false)).isEmpty();
        assertThat(t.tokenBytes(33, false)).containsExactly("<t>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
