package dev.nabd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufValueType;
import dev.nabd.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nabd template}, run in-process over whole templates.jsonl files and on hand-made inputs. */
class TemplateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result nabd(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path tokenizers() {
        return Path.of(System.getProperty("nabd.projectRoot", "..")).toAbsolutePath().resolve("../shared/tokenizers").normalize();
    }

    /** Every line of every shared templates.jsonl, through the folder's own template: all must agree. */
    @Test
    void everySharedTemplatesFileRendersLineForLine() throws IOException {
        int checked = 0;
        try (Stream<Path> folders = Files.list(tokenizers())) {
            for (Path folder : folders.sorted().toList()) {
                Path cases = folder.resolve("templates.jsonl");
                if (Files.exists(cases)) {
                    checked += checkAll(cases, nabd("template", "--tokenizer", folder.toString(), "--jsonl", "-i", cases.toString()));
                }
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(144);
    }

    /** Compares each output line with the expected rendering or raise_exception message of its input line. */
    @SuppressWarnings("unchecked")
    private static int checkAll(Path cases, Result r) throws IOException {
        assertThat(r.code()).as(r.err()).isZero();
        List<String> expected = Files.readAllLines(cases, StandardCharsets.UTF_8);
        String[] got = r.out().split("\n", -1);
        assertThat(got).hasSize(expected.size() + 1); // one line each, then the final newline
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> want = JSON.readValue(expected.get(i), Map.class);
            Map<String, Object> line = JSON.readValue(got[i], Map.class);
            if (want.get("error") != null) {
                assertThat(line).as("%s", want.get("id")).isEqualTo(Map.of("error", want.get("error")));
            } else {
                assertThat(line).as("%s", want.get("id")).isEqualTo(Map.of("text", want.get("rendered")));
            }
        }
        return expected.size();
    }

    /** The same cases without their special_tokens: the tokenizer's own (tokenizer_config.json) must give the same. */
    @Test
    @SuppressWarnings("unchecked")
    void specialTokensDefaultToTheTokenizers() throws IOException {
        for (String model : List.of("qwen3", "llama3", "llama3_1", "gemma3", "deepseek_v3")) {
            Path cases = stripSpecialTokens(tokenizers().resolve(model).resolve("templates.jsonl"));
            Path configFile = tokenizers().resolve(model).resolve("tokenizer_config.json");
            Result r = nabd("template", "--tokenizer", configFile.toString(), "--jsonl", "-i", cases.toString());
            checkAll(cases, r);
            assertThat(r.err()).contains("chat template from");
        }
    }

    @SuppressWarnings("unchecked")
    private Path stripSpecialTokens(Path cases) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(cases, StandardCharsets.UTF_8)) {
            Map<String, Object> c = JSON.readValue(line, Map.class);
            c.remove("special_tokens");
            lines.add(JSON.writeValueAsString(c));
        }
        Path out = dir.resolve(cases.getParent().getFileName() + "-no-special.jsonl");
        Files.write(out, lines, StandardCharsets.UTF_8);
        return out;
    }

    /** A GGUF carrying Qwen3's template and vocabulary entries for its special tokens renders the Qwen3 cases. */
    @Test
    void theTemplateAndSpecialTokensOfAGgufFile() throws IOException {
        String template = Files.readString(tokenizers().resolve("qwen3/chat_template.jinja"));
        String[] tokens = {"a", "<|endoftext|>", "<|im_start|>", "<|im_end|>"};
        Path gguf = dir.resolve("qwen3-template.gguf");
        new GgufWriter()
                .putString("general.architecture", "qwen3")
                .putArray("tokenizer.ggml.tokens", new GgufArray(GgufValueType.STRING, tokens))
                .putUint32("tokenizer.ggml.eos_token_id", 3)
                .putUint32("tokenizer.ggml.padding_token_id", 1)
                .putUint32("tokenizer.ggml.bos_token_id", -1) // llama.cpp's "none"
                .putString("tokenizer.chat_template", template)
                .write(gguf);
        Path cases = stripSpecialTokens(tokenizers().resolve("qwen3/templates.jsonl"));
        checkAll(cases, nabd("template", "--tokenizer", gguf.toString(), "--jsonl", "-i", cases.toString()));
    }

    @Test
    void eachBadLineGetsItsOwnErrorAndTheOthersStillRender() throws IOException {
        Path in = dir.resolve("mixed.jsonl");
        Files.writeString(in, String.join("\n",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"add_generation_prompt\": true}",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}",
                "{\"tools\": []}",
                "",
                "{\"messages\": [{\"role\": \"user\", \"content\": \"a\"}, {\"role\": \"user\", \"content\": \"b\"}]}",
                "{\"messages\": [{\"role\": \"system\", \"content\": 5}, {\"role\": \"user\", \"content\": \"x\"}]}",
                "[{\"role\": \"user\", \"content\": \"مرحبا 😀\"}]") + "\n");
        Result r = nabd("template", "--tokenizer", tokenizers().resolve("gemma3").toString(), "--jsonl", "-i", in.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines).hasSize(7);
        assertThat(lines[0]).isEqualTo("{\"text\":\"<bos><start_of_turn>user\\nHi<end_of_turn>\\n<start_of_turn>model\\n\"}");
        assertThat(lines[1]).startsWith("{\"error\":\"malformed JSON: Unexpected end-of-input");
        assertThat(lines[2]).isEqualTo("{\"error\":\"\\\"messages\\\" must be an array of message objects\"}");
        assertThat(lines[3]).startsWith("{\"error\":\"malformed JSON: No content to map");
        assertThat(lines[4]).isEqualTo("{\"error\":\"Conversation roles must alternate user/assistant/user/assistant/...\"}");
        assertThat(lines[5]).isEqualTo("{\"error\":\"chat template line 8: UndefinedError: int object has no element 0\"}");
        assertThat(lines[6]).isEqualTo("{\"text\":\"<bos><start_of_turn>user\\nمرحبا 😀<end_of_turn>\\n\"}");
    }

    @Test
    void withoutJsonlOneConversationPrintsItsExactText() throws IOException {
        Path in = dir.resolve("one.json");
        Files.writeString(in, "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"add_generation_prompt\": true,"
                + " \"kwargs\": {\"enable_thinking\": false}}");
        Result r = nabd("template", "--tokenizer", tokenizers().resolve("qwen3").toString(), "-i", in.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");

        Files.writeString(in, "[{\"role\": \"assistant\", \"content\": \"first\"}]");
        Result refused = nabd("template", "--tokenizer", tokenizers().resolve("gemma3").toString(), "-i", in.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).endsWith("nabd: error: chat template line 19: raise_exception: Conversation roles must alternate"
                + " user/assistant/user/assistant/...\n");
    }

    @Test
    void aTemplateFileReplacesTheTokenizersButKeepsItsSpecialTokens() throws IOException {
        Path template = dir.resolve("mine.jinja");
        Files.writeString(template, "{{ bos_token }}{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}");
        Path in = dir.resolve("one.json");
        Files.writeString(in, "[{\"role\": \"user\", \"content\": \"Hi\"}]");
        Result r = nabd("template", "--tokenizer", tokenizers().resolve("llama3/tokenizer.json.gz").toString(),
                "--template", template.toString(), "-i", in.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("<|begin_of_text|>[user] Hi\n");
        Result alone = nabd("template", "--template", template.toString(), "-i", in.toString());
        assertThat(alone.out()).isEqualTo("[user] Hi\n");
    }

    @Test
    void namedTemplatesPickToolUseWhenToolsAreGiven() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("named"));
        Files.writeString(folder.resolve("tokenizer_config.json"), "{\"eos_token\": {\"content\": \"</s>\"}, \"bos_token\": null,"
                + " \"chat_template\": [{\"name\": \"default\", \"template\": \"plain{{ eos_token }}\"},"
                + " {\"name\": \"tool_use\", \"template\": \"tools={{ tools|length }}{{ bos_token is defined }}\"}]}");
        Path in = dir.resolve("two.jsonl");
        Files.writeString(in, "{\"messages\": []}\n{\"messages\": [], \"tools\": [{\"type\": \"function\"}]}\n");
        Result r = nabd("template", "--tokenizer", folder.toString(), "--jsonl", "-i", in.toString());
        assertThat(r.out()).isEqualTo("{\"text\":\"plain</s>\"}\n{\"text\":\"tools=1False\"}\n");
    }

    @Test
    void badPathsAndBadTemplatesAreOneLineErrors() throws IOException {
        Result missing = nabd("template", "--tokenizer", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("nabd: error: " + dir.resolve("nope") + ": no such file or folder\n");

        Result none = nabd("template", "--tokenizer", tokenizers().resolve("mistral_spm").toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).contains("no chat template found").hasLineCount(1);

        Path broken = dir.resolve("broken.jinja");
        Files.writeString(broken, "{% for m in messages %}\n{{ m.content }}");
        Result bad = nabd("template", "--template", broken.toString(), "-i", broken.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("nabd: error: " + broken + ": chat template line 2: TemplateSyntaxError: Unexpected end of template.")
                .hasLineCount(1);

        Result nothing = nabd("template");
        assertThat(nothing.code()).isEqualTo(1);
        assertThat(nothing.err()).contains("give --tokenizer PATH, --template FILE, or both");
    }
}
