package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Each normalizer of tokenizer.json, built from its JSON, on the cases that tell it apart. */
class NormalizersTest {

    private static String normalize(String json, String text) {
        return StageJson.normalizer(json).normalize(text);
    }

    @Test
    void unicodeForms() {
        String composed = "\u00C5\uFB01"; // Å, the ﬁ ligature
        assertThat(normalize("{\"type\": \"NFD\"}", composed)).isEqualTo("A\u030A\uFB01");
        assertThat(normalize("{\"type\": \"NFC\"}", "A\u030A")).isEqualTo("\u00C5");
        assertThat(normalize("{\"type\": \"NFC\"}", "\u212B")).isEqualTo("\u00C5"); // the Angstrom sign
        assertThat(normalize("{\"type\": \"NFKD\"}", composed)).isEqualTo("A\u030Afi");
        assertThat(normalize("{\"type\": \"NFKC\"}", composed + "\uFF21\u00B2")).isEqualTo("\u00C5fiA2");
    }

    /** Rust lower-cases char by char: İ becomes i + combining dot, and Σ is σ even at the end of a word. */
    @Test
    void lowercaseIsPerCharacter() {
        assertThat(normalize("{\"type\": \"Lowercase\"}", "HeLLo İSTANBUL ΟΔΟΣ")).isEqualTo("hello i\u0307stanbul οδοσ");
    }

    @Test
    void stripRemovesUnicodeWhitespaceAtTheChosenEnds() {
        String text = "\u3000 \ta b\n\u00A0";
        assertThat(normalize("{\"type\": \"Strip\", \"strip_left\": true, \"strip_right\": true}", text)).isEqualTo("a b");
        assertThat(normalize("{\"type\": \"Strip\", \"strip_left\": true, \"strip_right\": false}", text)).isEqualTo("a b\n\u00A0");
        assertThat(normalize("{\"type\": \"Strip\", \"strip_left\": false, \"strip_right\": true}", text)).isEqualTo("\u3000 \ta b");
    }

    @Test
    void stripAccentsRemovesMarksAfterNfd() {
        String seq = "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"NFD\"}, {\"type\": \"StripAccents\"}]}";
        assertThat(normalize(seq, "Me llamó Ñandú")).isEqualTo("Me llamo Nandu");
        assertThat(normalize("{\"type\": \"StripAccents\"}", "e\u0304\u0304o")).isEqualTo("eo");
        assertThat(normalize("{\"type\": \"StripAccents\"}", "这很简单")).isEqualTo("这很简单");
    }

    @Test
    void replaceWithStringOrRegex() {
        assertThat(normalize("{\"type\": \"Replace\", \"pattern\": {\"String\": \" \"}, \"content\": \"\u2581\"}", "a b  c"))
                .isEqualTo("a\u2581b\u2581\u2581c");
        assertThat(normalize("{\"type\": \"Replace\", \"pattern\": {\"Regex\": \"\\\\s+\"}, \"content\": \" \"}", "a \t\u3000b"))
                .isEqualTo("a b");
        // the content is literal: no group references
        assertThat(normalize("{\"type\": \"Replace\", \"pattern\": {\"Regex\": \"(a)\"}, \"content\": \"$1\"}", "ab"))
                .isEqualTo("$1b");
        assertThat(normalize("{\"type\": \"Replace\", \"pattern\": {\"String\": \"\"}, \"content\": \"x\"}", "ab"))
                .isEqualTo("ab");
    }

    @Test
    void prependOnlyToText() {
        String json = "{\"type\": \"Prepend\", \"prepend\": \"\u2581\"}";
        assertThat(normalize(json, "Hey")).isEqualTo("\u2581Hey");
        assertThat(normalize(json, "")).isEmpty();
    }

    @Test
    void sequenceRunsInOrder() {
        String json = "{\"type\": \"Sequence\", \"normalizers\": [{\"type\": \"Prepend\", \"prepend\": \"\u2581\"},"
                + " {\"type\": \"Replace\", \"pattern\": {\"String\": \" \"}, \"content\": \"\u2581\"}]}";
        assertThat(normalize(json, "a b")).isEqualTo("\u2581a\u2581b");
        assertThat(normalize("{\"type\": \"Sequence\", \"normalizers\": []}", "As is")).isEqualTo("As is");
        assertThat(StageJson.normalizer("null").normalize("As is")).isEqualTo("As is");
    }

    @Test
    void byteLevelMapsBytesToCharacters() {
        assertThat(normalize("{\"type\": \"ByteLevel\"}", "a é")).isEqualTo("aĠÃ©");
    }

    /** BERT: controls dropped and whitespace made spaces, CJK spaced, accents stripped, lower case. */
    @Test
    void bertNormalizer() {
        String uncased = "{\"type\": \"BertNormalizer\", \"clean_text\": true, \"handle_chinese_chars\": true,"
                + " \"strip_accents\": null, \"lowercase\": true}";
        assertThat(normalize(uncased, "Héllo\tWörld\u0000\uFFFD\u200B\uE000!")).isEqualTo("hello world!");
        assertThat(normalize(uncased, "a\u0378b")).isEqualTo("a\u0378b"); // unassigned code points stay
        assertThat(normalize(uncased, "我爱NLP")).isEqualTo(" 我  爱 nlp");
        assertThat(normalize(uncased, "𠀀")).isEqualTo(" 𠀀 "); // CJK Extension B is "Chinese" too
        // kana lose their voicing marks with the accents (が is か + U+3099)
        assertThat(normalize(uncased, "ひらがな")).isEqualTo("ひらかな");
        String cased = "{\"type\": \"BertNormalizer\", \"clean_text\": false, \"handle_chinese_chars\": false,"
                + " \"strip_accents\": false, \"lowercase\": false}";
        assertThat(normalize(cased, "Héllo\t我")).isEqualTo("Héllo\t我");
        String chineseOnly = "{\"type\": \"BertNormalizer\", \"clean_text\": false, \"handle_chinese_chars\": true,"
                + " \"strip_accents\": false, \"lowercase\": false}";
        assertThat(normalize(chineseOnly, "한국어 ひらがな我")).isEqualTo("한국어 ひらがな 我 "); // Hangul and kana are not CJK
        String accentsOnly = "{\"type\": \"BertNormalizer\", \"lowercase\": false, \"strip_accents\": true}";
        assertThat(normalize(accentsOnly, "Héllo")).isEqualTo("Hello");
    }
}
