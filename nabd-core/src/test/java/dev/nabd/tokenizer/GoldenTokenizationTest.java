package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.tokenizer.TokenizerTestData.GoldenCase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * llama.cpp's own tokenizations (golden/README.md, "tokenizer/*.tokenize.json"): every case, with
 * {@code (addSpecial, parseSpecial)} both true and both false, must match id for id.
 */
class GoldenTokenizationTest {
    /** Golden file → the GGUF whose vocabulary produced it. */
    private static final Map<String, String> FILES = Map.of(
            "golden/tokenizer/llama3.tokenize.json", "golden/llama/tiny-llama-F32.gguf",
            "golden/tokenizer/qwen.tokenize.json", "golden/qwen3/tiny-qwen3-F32.gguf",
            "golden/tokenizer/qwen3-real.tokenize.json", "golden/tokenizer/qwen3-real-vocab.gguf",
            "golden/stories260K/stories260K.tokenize.json", "golden/stories260K/stories260K.gguf");

    private static final Map<String, Tokenizer> TOKENIZERS = new ConcurrentHashMap<>();

    static Tokenizer tokenizer(String gguf) {
        return TOKENIZERS.computeIfAbsent(gguf, TokenizerTestData::fromGguf);
    }

    static Stream<Arguments> cases() {
        return FILES.entrySet().stream().sorted(Map.Entry.comparingByKey()).flatMap(e ->
                TokenizerTestData.goldenCases(e.getKey()).stream().map(c -> Arguments.of(e.getValue(), c)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void matchesLlamaCpp(String gguf, GoldenCase c) {
        Tokenizer tok = tokenizer(gguf);
        assertThat(tok.encode(c.text(), true, true)).as("add_special, parse_special").containsExactly(c.idsSpecial());
        assertThat(tok.encode(c.text(), false, false)).as("raw").containsExactly(c.idsRaw());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    void decodeRoundTrips(String gguf, GoldenCase c) {
        Tokenizer tok = tokenizer(gguf);
        assertThat(tok.decode(tok.encode(c.text(), false, false), false)).isEqualTo(c.text());
        assertThat(tok.decode(c.idsRaw(), false)).isEqualTo(c.text());
    }

    @Test
    void byteLevelBosRendersOnlyWhenAsked() {
        Tokenizer tok = tokenizer("golden/llama/tiny-llama-F32.gguf");
        int[] ids = tok.encode("Hello world", true, true);
        assertThat(ids[0]).isEqualTo(tok.bosId()).isEqualTo(433);
        assertThat(tok.decode(ids, false)).isEqualTo("Hello world");
        assertThat(tok.decode(ids, true)).isEqualTo("<|begin_of_text|>Hello world");
    }

    /**
     * llama.cpp's detokenize strips the leading space of the first piece only: a BOS in front takes that
     * turn, so the space SentencePiece put before the text survives ("prompt_detok" in the stories260K
     * case shows the same).
     */
    @Test
    void sentencePieceKeepsTheSpaceAfterBosAsLlamaCppDoes() {
        Tokenizer tok = tokenizer("golden/stories260K/stories260K.gguf");
        int[] withBos = tok.encode("Once upon a time", true, false);
        assertThat(withBos).containsExactly(1, 403, 407, 261, 378);
        assertThat(tok.decode(withBos, false)).isEqualTo(" Once upon a time");
        assertThat(tok.decode(withBos, true)).isEqualTo("<s> Once upon a time");
        assertThat(tok.decode(List.of(403, 407, 261, 378).stream().mapToInt(i -> i).toArray(), false))
                .isEqualTo("Once upon a time");
    }

    /** Every logits case of the golden set (bert aside: WordPiece is not supported). */
    static Stream<Path> logitCases() throws IOException {
        try (Stream<Path> files = Files.walk(TokenizerTestData.shared("golden"), 2)) {
            return files.filter(p -> p.toString().endsWith(".json") && !p.toString().endsWith(".tokenize.json"))
                    .filter(p -> Json.object(Json.parse(TokenizerTestData.read(p))).containsKey("prompt_ids"))
                    .filter(p -> !p.getFileName().toString().startsWith("bert"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    /**
     * The prompt ids the logits were computed from, and llama.cpp's pieces of prompt and greedy
     * continuation ("prompt_detok", "greedy_detok": pieces rendered with {@code special = true} and
     * concatenated, {@code hex:} when not valid UTF-8).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("logitCases")
    void logitCasePromptsAndPiecesMatch(Path caseFile) {
        Map<String, Object> c = Json.object(Json.parse(TokenizerTestData.read(caseFile)));
        String model = ((String) c.get("model_path")).replaceFirst("^shared/", "");
        Tokenizer tok = tokenizer(model);
        assertThat(tok.encode((String) c.get("prompt_text"), true, true)).containsExactly(Json.ints(c.get("prompt_ids")));
        assertThat(pieces(tok, Json.ints(c.get("prompt_ids")))).isEqualTo(c.get("prompt_detok"));
        assertThat(pieces(tok, Json.ints(c.get("greedy_ids")))).isEqualTo(c.get("greedy_detok"));
    }

    private static String pieces(Tokenizer tok, int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(tok.tokenBytes(id, true));
        }
        byte[] bytes = out.toByteArray();
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return "hex:" + HexFormat.of().formatHex(bytes);
        }
    }
}
