package dev.nabd.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabd.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every case of {@code ../shared/tokenizers/*}{@code /templates.jsonl}: the rendering of transformers'
 * {@code apply_chat_template} must come out byte for byte, and expected errors with their message.
 */
class HuggingFaceTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> everySharedTemplateCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(SharedData.shared().resolve("tokenizers"))) {
            for (Path dir : dirs.sorted().toList()) {
                Path cases = dir.resolve("templates.jsonl");
                if (!Files.exists(cases)) {
                    continue;
                }
                ChatTemplate template = ChatTemplate.parse(Files.readString(dir.resolve("chat_template.jinja"), StandardCharsets.UTF_8));
                for (String line : Files.readAllLines(cases, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    Map<String, Object> c = JSON.readValue(line, Map.class);
                    tests.add(DynamicTest.dynamicTest((String) c.get("id"), () -> check(template, c)));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(144);
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    static void check(ChatTemplate template, Map<String, Object> c) {
        Map<String, Object> variables = new java.util.LinkedHashMap<>((Map<String, Object>) c.get("special_tokens"));
        variables.putAll((Map<String, Object>) c.get("kwargs"));
        List<Object> messages = (List<Object>) c.get("messages");
        List<Object> tools = (List<Object>) c.get("tools");
        boolean addGenerationPrompt = (Boolean) c.get("add_generation_prompt");
        String error = (String) c.get("error");
        if (error != null) {
            assertThatThrownBy(() -> template.apply(messages, tools, addGenerationPrompt, variables))
                    .isInstanceOfSatisfying(TemplateException.class, e -> {
                        assertThat(e.raisedByTemplate()).isTrue();
                        assertThat(e.detail()).isEqualTo(error);
                    });
        } else {
            assertThat(template.apply(messages, tools, addGenerationPrompt, variables)).isEqualTo(c.get("rendered"));
        }
    }
}
