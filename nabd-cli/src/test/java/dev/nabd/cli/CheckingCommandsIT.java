package dev.nabd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nabd tokenize} and {@code nabd template}, both modes, as a checking harness uses them: the real
 * launcher and packaged jar, cases on standard input, results on standard output, under a C locale so
 * that Arabic, CJK and emoji must survive on their own (runs after {@code package}).
 */
class CheckingCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    /** {@code bin/nabd args < stdin} with {@code LC_ALL=C}; null stdin is an empty one. */
    private Run nabd(Path stdin, String... args) throws IOException, InterruptedException {
        Path root = CliTest.root();
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/nabd").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectInput(stdin != null ? stdin.toFile() : Files.createTempFile(dir, "empty", ".txt").toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Path tokenizers() {
        return CliTest.root().resolve("../shared/tokenizers").normalize();
    }

    /** {@code nabd tokenize --jsonl < cases.jsonl}: one result line per case line, as Hugging Face gives it. */
    @Test
    void tokenizeJsonlFromStandardInput() throws Exception {
        Path cases = tokenizers().resolve("qwen3/cases.jsonl");
        Run r = nabd(cases, "tokenize", "--tokenizer", tokenizers().resolve("qwen3").toString(), "--jsonl");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> expected = Files.readAllLines(cases, StandardCharsets.UTF_8);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSameSizeAs(expected).hasSize(160);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode want = JSON.readTree(expected.get(i));
            JsonNode got = JSON.readTree(lines.get(i));
            String id = want.get("id").asText();
            assertThat(got.get("ids")).as(id).isEqualTo(want.get("ids"));
            assertThat(got.get("decoded")).as(id).isEqualTo(want.get("decoded"));
            assertThat(got.get("decoded_skip_special")).as(id).isEqualTo(want.get("decoded_skip_special"));
            assertThat(got.size()).as(id).isEqualTo(3);
        }
    }

    /**
     * {@code nabd tokenize --tokenizer PATH TEXT}, the text on the command line: its ids, then each id and
     * token. An emoji with a zero-width joiner passes through a C locale intact.
     */
    @Test
    void tokenizeTextFromTheCommandLine() throws Exception {
        JsonNode c = caseById(tokenizers().resolve("llama3_1/cases.jsonl"), "pub-emoji-009");
        assertThat(c.get("add_special_tokens").asBoolean()).isTrue();
        Run r = nabd(null, "tokenize", "--tokenizer", tokenizers().resolve("llama3_1/tokenizer.json.gz").toString(),
                c.get("text").asText());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(JSON.readTree(lines.get(0))).isEqualTo(c.get("ids"));
        assertThat(lines).hasSize(1 + c.get("ids").size());
        for (int i = 0; i < c.get("ids").size(); i++) {
            assertThat(lines.get(1 + i)).isEqualTo(c.get("ids").get(i).asInt() + "\t" + JSON.writeValueAsString(c.get("tokens").get(i).asText()));
        }
    }

    /** The plain mode reads the whole of standard input ({@code -i -}) as the text, newlines included. */
    @Test
    void tokenizeTextFromStandardInput() throws Exception {
        JsonNode c = caseById(tokenizers().resolve("qwen3/cases.jsonl"), "pub-arabic-008");
        assertThat(c.get("text").asText()).contains("\n");
        Path text = Files.writeString(dir.resolve("text.txt"), c.get("text").asText(), StandardCharsets.UTF_8);
        Run r = nabd(text, "tokenize", "--tokenizer", tokenizers().resolve("qwen3").toString(), "-i", "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out().lines().findFirst().orElseThrow())).isEqualTo(c.get("ids"));
    }

    /** {@code nabd template --jsonl < templates.jsonl}: renderings byte for byte, raise_exception messages as errors. */
    @Test
    @SuppressWarnings("unchecked")
    void templateJsonlFromStandardInput() throws Exception {
        Path cases = tokenizers().resolve("gemma3/templates.jsonl");
        Run r = nabd(cases, "template", "--tokenizer", tokenizers().resolve("gemma3").toString(), "--jsonl");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> expected = Files.readAllLines(cases, StandardCharsets.UTF_8);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSameSizeAs(expected);
        int errors = 0;
        for (int i = 0; i < lines.size(); i++) {
            Map<String, Object> want = JSON.readValue(expected.get(i), Map.class);
            Map<String, Object> got = JSON.readValue(lines.get(i), Map.class);
            if (want.get("error") != null) {
                errors++;
                assertThat(got).as("%s", want.get("id")).isEqualTo(Map.of("error", want.get("error")));
            } else {
                assertThat(got).as("%s", want.get("id")).isEqualTo(Map.of("text", want.get("rendered")));
            }
        }
        assertThat(errors).isEqualTo(1);
    }

    /** Without --jsonl one conversation on standard input ({@code -i -}) gives its exact text, with no newline added. */
    @Test
    void templateOneConversationFromStandardInput() throws Exception {
        Path in = Files.writeString(dir.resolve("conversation.json"), "{\"messages\": [{\"role\": \"user\", \"content\":"
                + " \"ما هي عاصمة فرنسا؟ 你好\"}], \"add_generation_prompt\": true, \"kwargs\": {\"enable_thinking\": false}}",
                StandardCharsets.UTF_8);
        Run r = nabd(in, "template", "--tokenizer", tokenizers().resolve("qwen3").toString(), "-i", "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("<|im_start|>user\nما هي عاصمة فرنسا؟ 你好<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    /** Run without the launcher under a C locale, Java loses non-ASCII arguments: nabd refuses them rather than use U+FFFD. */
    @Test
    void theJarRefusesACommandLineItCouldNotRead() throws Exception {
        Path root = CliTest.root();
        Path jar;
        try (var jars = Files.list(root.resolve("nabd-cli/target"))) {
            jar = jars.filter(p -> p.getFileName().toString().matches("nabd-cli-.*\\.jar")).findFirst().orElseThrow();
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-jar", jar.toString(), "tokenize", "--tokenizer",
                tokenizers().resolve("qwen3").toString(), "مرحبا");
        pb.environment().put("LC_ALL", "C");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(1);
        assertThat(out).isEmpty();
        assertThat(err).contains("nabd: error: the command line holds characters the locale's character set");
    }

    private static JsonNode caseById(Path cases, String id) throws IOException {
        for (String line : Files.readAllLines(cases, StandardCharsets.UTF_8)) {
            JsonNode c = JSON.readTree(line);
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError(id + " not in " + cases);
    }
}
