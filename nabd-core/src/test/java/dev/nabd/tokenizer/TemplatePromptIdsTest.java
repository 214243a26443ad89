package dev.nabd.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nabd.chat.ChatTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The prompt a model sees, end to end: each record of a templates.jsonl whose folder has a tokenizer
 * carries {@code ids}, Hugging Face's {@code encode(rendered, add_special_tokens=False)}
 * (tokenizers/README.md). Our template's rendering, encoded by our tokenizer.json tokenizer, must give
 * exactly those ids.
 */
class TemplatePromptIdsTest {

    /** One templates.jsonl record with prompt ids. */
    record PromptCase(String folder, String id, Map<String, Object> record) {
        @Override
        public String toString() {
            return id;
        }
    }

    static List<PromptCase> cases() {
        List<PromptCase> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(TokenizerTestData.shared("tokenizers"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path templates = dir.resolve("templates.jsonl");
                if (!Files.exists(templates) || !Files.exists(dir.resolve("tokenizer.json.gz"))) {
                    continue;
                }
                for (String line : TokenizerTestData.read(templates).split("\n")) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<String, Object> c = Json.object(Json.parse(line));
                    if (c.get("ids") != null) {
                        out.add(new PromptCase(dir.getFileName().toString(), (String) c.get("id"), c));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Every record that renders (the one expected error of gemma3 has no ids) is checked. */
    @Test
    void everyRecordWithATokenizerIsChecked() {
        assertThat(cases()).hasSize(15 + 13 + 10 + 13 + 10);
        assertThat(cases().stream().map(PromptCase::folder).distinct())
                .containsExactly("deepseek_v3", "gemma3", "llama3", "llama3_1", "qwen3");
    }

    static Stream<Arguments> arguments() {
        return cases().stream().map(c -> Arguments.of(c.folder(), c));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("arguments")
    void renderedPromptEncodesToTheReferenceIds(String folder, PromptCase c) throws IOException {
        Map<String, Object> r = c.record();
        String source = Files.readString(TokenizerTestData.shared("tokenizers/" + folder + "/chat_template.jinja"));
        Map<String, Object> variables = new LinkedHashMap<>(Json.object(r.get("special_tokens")));
        variables.putAll(Json.object(r.get("kwargs")));
        List<Object> tools = r.get("tools") == null ? null : Json.array(r.get("tools"));
        String rendered = ChatTemplate.parse(source)
                .apply(Json.array(r.get("messages")), tools, (Boolean) r.get("add_generation_prompt"), variables);
        assertThat(rendered).isEqualTo(r.get("rendered"));
        Tokenizer tok = TokenizerJsonReferenceTest.tokenizer(folder);
        assertThat(tok.encode(rendered, false, true)).containsExactly(Json.ints(r.get("ids")));
    }
}
