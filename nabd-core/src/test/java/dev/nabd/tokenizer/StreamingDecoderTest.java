package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming decoding holds back split characters and nothing else. */
class StreamingDecoderTest {
    /** The tiny golden vocabulary: ids 0..255 are the byte tokens, in byte order. */
    private static final Tokenizer BYTES = TokenizerTestData.fromGguf("golden/qwen3/tiny-qwen3-F32.gguf");

    private static List<String> feedBytes(StreamingDecoder d, byte[] bytes) {
        List<String> out = new ArrayList<>();
        for (byte b : bytes) {
            out.add(d.accept(b & 0xFF));
        }
        return out;
    }

    @Test
    void multiByteCharactersSplitOverByteTokensComeOutWhole() {
        for (String s : List.of("م", "你", "😀", "é")) {
            StreamingDecoder d = new StreamingDecoder(BYTES, false);
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            List<String> out = feedBytes(d, utf8);
            assertThat(out.subList(0, utf8.length - 1)).allMatch(String::isEmpty);
            assertThat(out.get(utf8.length - 1)).isEqualTo(s);
            assertThat(d.hasPending()).isFalse();
        }
    }

    @Test
    void arabicChineseAndEmojiStreamWholeWithARealVocabulary() {
        Tokenizer tok = TokenizerTestData.fromGguf("golden/tokenizer/qwen3-real-vocab.gguf");
        String text = "مرحبا بالعالم، كيف حالك؟ 你好，世界！鑫龘 😀🚀👨‍👩‍👧 🇸🇦 done";
        int[] ids = tok.encode(text, false, false);
        StreamingDecoder d = new StreamingDecoder(tok, false);
        StringBuilder sb = new StringBuilder();
        int held = 0;
        for (int id : ids) {
            String chunk = d.accept(id);
            assertThat(chunk).doesNotContain("\uFFFD");
            assertThat(chunk.isEmpty() || !Character.isHighSurrogate(chunk.charAt(chunk.length() - 1))).isTrue();
            held += chunk.isEmpty() ? 1 : 0;
            sb.append(chunk);
        }
        sb.append(d.flush());
        assertThat(sb.toString()).isEqualTo(text);
        assertThat(held).as("some tokens end inside a character").isPositive();
    }

    @Test
    void invalidBytesAreReplacedAtOnce() {
        StreamingDecoder d = new StreamingDecoder(BYTES, false);
        assertThat(d.accept(0xFF)).isEqualTo("\uFFFD");
        assertThat(d.accept(0xE0)).isEmpty();           // could start a character
        assertThat(d.accept(0x80)).isEqualTo("\uFFFD\uFFFD"); // E0 80 is never valid (overlong)
        assertThat(d.accept(0xE2)).isEmpty();
        assertThat(d.accept(0x82)).isEmpty();
        assertThat(d.accept('A')).isEqualTo("\uFFFDA");     // the character was cut short
    }

    @Test
    void flushEmitsWhatIsLeft() {
        StreamingDecoder d = new StreamingDecoder(BYTES, false);
        assertThat(d.accept(0xF0)).isEmpty();
        assertThat(d.accept(0x9F)).isEmpty();
        assertThat(d.hasPending()).isTrue();
        assertThat(d.flush()).isEqualTo("\uFFFD");
        assertThat(d.hasPending()).isFalse();
        assertThat(d.flush()).isEmpty();
    }

    @Test
    void controlTokensFollowRenderSpecial() {
        int eos = BYTES.eosId();
        assertThat(new StreamingDecoder(BYTES, false).accept(eos)).isEmpty();
        assertThat(new StreamingDecoder(BYTES, true).accept(eos)).isEqualTo(BYTES.tokenText(eos));
    }

    @Test
    void completeLengthHoldsBackOnlyUnfinishedCharacters() {
        assertThat(StreamingDecoder.completeLength(bytes(0x41, 0xE2, 0x82), 3)).isEqualTo(1);
        assertThat(StreamingDecoder.completeLength(bytes(0xE2, 0x82, 0xAC), 3)).isEqualTo(3);
        assertThat(StreamingDecoder.completeLength(bytes(0xF0, 0x9F, 0x98), 3)).isZero();
        assertThat(StreamingDecoder.completeLength(bytes(0xF0, 0x9F, 0x98, 0x80), 4)).isEqualTo(4);
        assertThat(StreamingDecoder.completeLength(bytes(0xED, 0xA0), 2)).isEqualTo(2); // surrogate: never valid
        assertThat(StreamingDecoder.completeLength(bytes(0xF4, 0x90), 2)).isEqualTo(2); // above U+10FFFF
        assertThat(StreamingDecoder.completeLength(bytes(0xC0), 1)).isEqualTo(1);       // overlong lead
        assertThat(StreamingDecoder.completeLength(bytes(0x80), 1)).isEqualTo(1);       // stray continuation
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
