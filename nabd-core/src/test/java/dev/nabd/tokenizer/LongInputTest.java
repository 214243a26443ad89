package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.json.JsonReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Long inputs without spaces, where a quadratic BPE would take minutes: a whole 1 MB line is one word.
 * These tests check results, not time (throughput is measured by nabd-bench's TokenizerBenchmark).
 */
class LongInputTest {

    /** 1 MB of mixed script without a space: the ids decode back to the text in every model family. */
    @Test
    void aMegabyteWithoutSpacesRoundTrips() {
        String line = noSpaces(1 << 20, 7);
        for (String folder : List.of("qwen3", "llama3", "gemma3", "mistral_spm")) {
            Tokenizer tok = TokenizerJsonReferenceTest.tokenizer(folder);
            int[] ids = tok.encode(line, false, true);
            assertSameText(folder, tok.decode(ids, false), line);
        }
        Tokenizer llama2 = TokenizerTestData.fromGguf("tokenizers/llamacpp/ggml-vocab-llama-spm.gguf");
        assertSameText("llama-spm", llama2.decode(llama2.encode(line, false, false), false), line);
    }

    /** Equal texts, or a message with the first difference (not two megabytes of text). */
    private static void assertSameText(String what, String actual, String expected) {
        int at = 0;
        while (at < Math.min(actual.length(), expected.length()) && actual.charAt(at) == expected.charAt(at)) {
            at++;
        }
        assertThat(actual.equals(expected))
                .as("%s: lengths %d and %d, first difference at %d: '%s' vs '%s'", what, actual.length(), expected.length(),
                        at, actual.substring(at, Math.min(actual.length(), at + 20)),
                        expected.substring(at, Math.min(expected.length(), at + 20)))
                .isTrue();
    }

    /** BERT's WordPiece makes a word over 100 characters one unknown token. */
    @Test
    void aLongWordIsOneUnknownForWordPiece() {
        Tokenizer bert = TokenizerJsonReferenceTest.tokenizer("bert_minilm");
        assertThat(bert.encode("a".repeat(1 << 20), false, true)).containsExactly(100);
    }

    /**
     * The heap-based merge loop gives the ids of the textbook algorithm (merge the lowest-ranked pair,
     * leftmost first, until none is left), run on the real Qwen3 merges over a long word.
     */
    @Test
    void bpeMatchesTheTextbookAlgorithm() {
        Map<String, Object> json = Json.object(JsonReader.parse(
                TokenizerTestData.read(TokenizerTestData.shared("tokenizers/qwen3/tokenizer.json.gz"))));
        Map<String, Object> model = Json.object(json.get("model"));
        Map<String, Object> vocab = Json.object(model.get("vocab"));
        Map<String, Integer> ranks = new HashMap<>();
        List<Object> merges = Json.array(model.get("merges"));
        for (int i = 0; i < merges.size(); i++) {
            List<Object> pair = Json.array(merges.get(i));
            ranks.putIfAbsent(pair.get(0) + " " + pair.get(1), i);
        }
        Tokenizer tok = TokenizerJsonReferenceTest.tokenizer("qwen3");
        for (long seed = 1; seed <= 3; seed++) {
            String word = noSpaces(3000, seed).replaceAll("[^\\p{L}]", "");
            List<String> symbols = new ArrayList<>();
            for (char c : ByteLevelPreTokenizer.map(word).toCharArray()) {
                symbols.add(String.valueOf(c));
            }
            while (true) {
                int best = -1;
                int bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    Integer r = ranks.get(symbols.get(i) + " " + symbols.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                symbols.set(best, symbols.get(best) + symbols.remove(best + 1));
            }
            int[] expected = symbols.stream().mapToInt(s -> ((Long) vocab.get(s)).intValue()).toArray();
            assertThat(tok.encode(word, false, true)).as("seed " + seed).containsExactly(expected);
        }
    }

    /** Letters of several scripts, digits, punctuation and emoji, no whitespace. */
    static String noSpaces(int chars, long seed) {
        Random r = new Random(seed);
        String[] pieces = {"token", "ization", "مرحبا", "你好世界", "😀", "12345", "!?", "éà", "한국어", "xyz", "_-+"};
        StringBuilder sb = new StringBuilder(chars + 16);
        while (sb.length() < chars) {
            sb.append(pieces[r.nextInt(pieces.length)]);
        }
        return sb.toString();
    }
}
