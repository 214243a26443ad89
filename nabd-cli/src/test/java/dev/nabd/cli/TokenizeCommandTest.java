package dev.nabd.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code nabd tokenize}, run in-process end to end: whole cases.jsonl files through {@code --jsonl}
 * (every line's ids, decoded and decoded_skip_special as Hugging Face gives them), llama.cpp's cases
 * through GGUF files, per-line errors, and the plain mode.
 */
class TokenizeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static Path tokenizers() {
        return CliTest.root().resolve("../shared/tokenizers").normalize();
    }

    static Stream<String> folders() throws IOException {
        try (Stream<Path> dirs = Files.list(tokenizers())) {
            return dirs.filter(d -> Files.exists(d.resolve("tokenizer.json.gz")) && Files.exists(d.resolve("cases.jsonl")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void everyReferenceTokenizerIsRun() throws IOException {
        assertThat(folders()).hasSize(7);
    }

    /** The folder is given as PATH: tokenizer.json.gz and tokenizer_config.json are found in it. */
    @ParameterizedTest
    @MethodSource("folders")
    void jsonlMatchesEveryReferenceCase(String folder) throws IOException {
        Path cases = tokenizers().resolve(folder).resolve("cases.jsonl");
        List<String> expected = Files.readAllLines(cases, StandardCharsets.UTF_8);
        CliTest.Result r = CliTest.nabd("tokenize", "--tokenizer", tokenizers().resolve(folder).toString(), "--jsonl",
                "--input", cases.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSameSizeAs(expected);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode want = JSON.readTree(expected.get(i));
            JsonNode got = JSON.readTree(lines.get(i));
            assertThat(got.get("ids")).as(want.get("id").asText()).isEqualTo(want.get("ids"));
            assertThat(got.get("decoded")).as(want.get("id").asText()).isEqualTo(want.get("decoded"));
            assertThat(got.get("decoded_skip_special")).as(want.get("id").asText()).isEqualTo(want.get("decoded_skip_special"));
        }
    }

    static Stream<String> ggufVocabularies() throws IOException {
        try (Stream<Path> files = Files.list(tokenizers().resolve("llamacpp"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".gguf"))
                    .map(n -> n.substring("ggml-vocab-".length(), n.length() - ".gguf".length())).sorted().toList().stream();
        }
    }

    /** llama.cpp's tests through the GGUF files (the cases carry ids only). */
    @ParameterizedTest
    @MethodSource("ggufVocabularies")
    void jsonlThroughGgufMatchesLlamaCppTests(String vocab) throws IOException {
        Path cases = tokenizers().resolve("llamacpp/cases_" + vocab + ".jsonl");
        List<String> expected = Files.readAllLines(cases, StandardCharsets.UTF_8);
        CliTest.Result r = CliTest.nabd("tokenize", "--tokenizer",
                tokenizers().resolve("llamacpp/ggml-vocab-" + vocab + ".gguf").toString(), "--jsonl", "--input", cases.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSameSizeAs(expected);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode want = JSON.readTree(expected.get(i));
            assertThat(JSON.readTree(lines.get(i)).get("ids")).as(want.get("id").asText()).isEqualTo(want.get("ids"));
        }
    }

    /** A bad line gives an error line of its own; the lines around it are unaffected. */
    @Test
    void badLinesGiveErrorsForThemselvesOnly() throws IOException {
        Path in = dir.resolve("in.jsonl");
        Files.writeString(in, String.join("\n",
                "{\"text\": \"Hello world\", \"add_special_tokens\": false}",
                "{\"text\": \"Hello",
                "[1, 2]",
                "{\"txt\": \"Hello\"}",
                "{\"text\": 5}",
                "{\"text\": \"x\", \"split_special_tokens\": \"yes\"}",
                "",
                "{\"text\": \"<|im_start|>hi\", \"split_special_tokens\": false}",
                "{\"text\": \"<|im_start|>hi\", \"split_special_tokens\": true}") + "\n", StandardCharsets.UTF_8);
        CliTest.Result r = CliTest.nabd("tokenize", "--tokenizer", tokenizers().resolve("qwen3/tokenizer.json.gz").toString(),
                "--jsonl", "--input", in.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(9);
        assertThat(lines.get(0)).isEqualTo("{\"ids\":[9707,1879],\"decoded\":\"Hello world\",\"decoded_skip_special\":\"Hello world\"}");
        assertThat(JSON.readTree(lines.get(1)).get("error").asText()).startsWith("not a JSON line");
        assertThat(JSON.readTree(lines.get(2)).get("error").asText()).contains("expected a JSON object");
        assertThat(JSON.readTree(lines.get(3)).get("error").asText()).contains("\"text\" should be a string");
        assertThat(JSON.readTree(lines.get(4)).get("error").asText()).contains("\"text\" should be a string");
        assertThat(JSON.readTree(lines.get(5)).get("error").asText()).contains("\"split_special_tokens\" should be true or false");
        assertThat(JSON.readTree(lines.get(6)).has("error")).isTrue();
        assertThat(JSON.readTree(lines.get(7)).get("ids").toString()).isEqualTo("[151644,6023]");
        assertThat(JSON.readTree(lines.get(7)).get("decoded_skip_special").asText()).isEqualTo("hi");
        assertThat(JSON.readTree(lines.get(8)).get("ids").size()).isGreaterThan(2);
    }

    @Test
    void plainModePrintsIdsAndTokens() {
        CliTest.Result r = CliTest.nabd("tokenize", "--tokenizer", tokenizers().resolve("llama3_1").toString(), "Hello world");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("[128000,9906,1917]\n128000\t\"<|begin_of_text|>\"\n9906\t\"Hello\"\n1917\t\"Ġworld\"\n");
        CliTest.Result raw = CliTest.nabd("tokenize", "--tokenizer", tokenizers().resolve("llama3_1").toString(),
                "--no-add-special-tokens", "--split-special-tokens", "<|eot_id|>");
        assertThat(raw.out().lines().findFirst().orElseThrow()).isEqualTo("[27,91,68,354,851,91,29]");
    }

    @Test
    void plainModeReadsTheTextFromInput() throws IOException {
        Path in = Files.writeString(dir.resolve("text.txt"), "مرحبا\n", StandardCharsets.UTF_8);
        CliTest.Result r = CliTest.nabd("tokenize", "--tokenizer",
                tokenizers().resolve("llamacpp/ggml-vocab-gpt-2.gguf").toString(), "--input", in.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().count()).isGreaterThan(2);
    }

    @Test
    void badTokenizerIsOneLineAndExitCodeOne() throws IOException {
        CliTest.Result missing = CliTest.nabd("tokenize", "--tokenizer", dir.resolve("nope").toString(), "hi");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("nabd: error: " + dir.resolve("nope") + ": no such file or folder\n");
        Path broken = Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"type\": \"Klingon\"}}");
        CliTest.Result bad = CliTest.nabd("tokenize", "--tokenizer", broken.toString(), "hi");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("nabd: error: ").contains("unsupported model type 'Klingon'").hasLineCount(1);
        CliTest.Result both = CliTest.nabd("tokenize", "--tokenizer", broken.toString(), "--jsonl", "hi");
        assertThat(both.code()).isEqualTo(1);
        assertThat(both.err()).contains("--jsonl reads its cases from --input or standard input");
        CliTest.Result twice = CliTest.nabd("tokenize", "--tokenizer", broken.toString(), "--input", broken.toString(), "hi");
        assertThat(twice.err()).contains("not both");
    }
}
