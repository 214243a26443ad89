package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each decoder of tokenizer.json on the token strings that tell it apart, whole and piece by piece. */
class DecodersTest {

    private static String decode(String json, String... tokens) {
        return String.join("", StageJson.decoder(json).decodeChain(List.of(tokens)));
    }

    private static String piece(String json, String token) {
        return new String(StageJson.decoder(json).piece(token), StandardCharsets.UTF_8);
    }

    @Test
    void byteLevel() {
        String json = "{\"type\": \"ByteLevel\"}";
        assertThat(decode(json, "Hello", "Ġworld", "ĠÃ©")).isEqualTo("Hello world é");
        assertThat(decode(json, "<｜User｜>", "Ġhi")).isEqualTo("<｜User｜> hi"); // not all mapped: its own bytes
        assertThat(decode(json, "Ã")).isEqualTo("\uFFFD"); // a lone lead byte
        assertThat(StageJson.decoder(json).piece("Ã")).containsExactly((byte) 0xC3);
    }

    @Test
    void byteFallbackRunsOfBytes() {
        String json = "{\"type\": \"ByteFallback\"}";
        assertThat(decode(json, "a", "<0xE4>", "<0xBD>", "<0xA0>", "b")).isEqualTo("a你b");
        assertThat(decode(json, "<0xE4>", "<0xBD>", "c")).isEqualTo("\uFFFD\uFFFDc"); // one U+FFFD per byte
        assertThat(decode(json, "<0xZZ>", "<0x41>")).isEqualTo("<0xZZ>A");
        assertThat(StageJson.decoder(json).piece("<0xE4>")).containsExactly((byte) 0xE4);
    }

    @Test
    void fuseStripReplace() {
        assertThat(StageJson.decoder("{\"type\": \"Fuse\"}").decodeChain(List.of("a", "b"))).containsExactly("ab");
        String strip = "{\"type\": \"Strip\", \"content\": \" \", \"start\": 1, \"stop\": 0}";
        assertThat(StageJson.decoder(strip).decodeChain(List.of("  a ", " b"))).containsExactly(" a ", "b");
        String replace = "{\"type\": \"Replace\", \"pattern\": {\"String\": \"\u2581\"}, \"content\": \" \"}";
        assertThat(decode(replace, "\u2581Hello", "\u2581world")).isEqualTo(" Hello world");
    }

    /** Metaspace drops every U+2581 of the first token (not only the leading one) when a prefix was added. */
    @Test
    void metaspace() {
        String always = "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"always\", \"split\": true}";
        assertThat(decode(always, "\u2581Hey\u2581there", "\u2581friend")).isEqualTo("Heythere friend");
        assertThat(piece(always, "\u2581friend")).isEqualTo(" friend");
        String never = "{\"type\": \"Metaspace\", \"replacement\": \"\u2581\", \"prepend_scheme\": \"never\"}";
        assertThat(decode(never, "\u2581Hey", "\u2581friend")).isEqualTo(" Hey friend");
    }

    /** Clean-up runs on each token, so " '" and " s" stay apart; the first token keeps its "##". */
    @Test
    void wordPiece() {
        String json = "{\"type\": \"WordPiece\", \"prefix\": \"##\", \"cleanup\": true}";
        assertThat(decode(json, "##un", "##aff", "##able", "it", "'", "s", "fine", ".", "do", "n't"))
                .isEqualTo("##unaffable it ' s fine. don't");
        assertThat(decode("{\"type\": \"WordPiece\", \"prefix\": \"##\", \"cleanup\": false}", "a", "##b", ".")).isEqualTo("ab .");
        assertThat(piece(json, "##ing")).isEqualTo("ing");
        assertThat(piece(json, "word")).isEqualTo(" word");
    }

    @Test
    void bpeSuffix() {
        assertThat(decode("{\"type\": \"BPEDecoder\", \"suffix\": \"</w>\"}", "hel", "lo</w>", "world</w>")).isEqualTo("hello world");
    }

    /** Mistral's chain: a piece in the middle keeps its space; the whole text loses the first one. */
    @Test
    void sentencePieceChain() {
        String json = "{\"type\": \"Sequence\", \"decoders\": [{\"type\": \"Replace\", \"pattern\": {\"String\": \"\u2581\"},"
                + " \"content\": \" \"}, {\"type\": \"ByteFallback\"}, {\"type\": \"Fuse\"},"
                + " {\"type\": \"Strip\", \"content\": \" \", \"start\": 1, \"stop\": 0}]}";
        assertThat(decode(json, "\u2581Hello", "<0xE4>", "<0xBD>", "<0xA0>", "\u2581!")).isEqualTo("Hello你 !");
        assertThat(piece(json, "\u2581Hello")).isEqualTo(" Hello");
        assertThat(StageJson.decoder(json).piece("<0xE4>")).containsExactly((byte) 0xE4);
    }
}
