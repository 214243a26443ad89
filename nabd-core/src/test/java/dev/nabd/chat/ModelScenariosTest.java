package dev.nabd.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabd.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real templates of {@code ../shared/tokenizers} over many more conversation shapes than the shared
 * cases (parallel tool calls, tool results of every JSON type, content parts, role-order mistakes,
 * thinking switches, builtin tools): {@code src/test/resources/chat/model_scenarios.jsonl}, rendered by
 * Python's Jinja2 through {@code generate_model_scenarios.py}. Errors must match in type and message.
 */
class ModelScenariosTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> everyScenario() throws IOException {
        Map<String, ChatTemplate> templates = new HashMap<>();
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = ModelScenariosTest.class.getResourceAsStream("/chat/model_scenarios.jsonl");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Map<String, Object> c = JSON.readValue(line, Map.class);
                String model = (String) c.get("model");
                ChatTemplate t = templates.get(model);
                if (t == null) {
                    String source = Files.readString(SharedData.shared().resolve("tokenizers").resolve(model).resolve("chat_template.jinja"));
                    t = ChatTemplate.parse(source).withClock(JinjaFeaturesTest.FIXTURE_CLOCK);
                    templates.put(model, t);
                }
                ChatTemplate template = t;
                tests.add(DynamicTest.dynamicTest((String) c.get("id"), () -> check(template, c)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(300);
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    private static void check(ChatTemplate template, Map<String, Object> c) {
        Map<String, Object> variables = new LinkedHashMap<>((Map<String, Object>) c.get("special_tokens"));
        variables.putAll((Map<String, Object>) c.get("kwargs"));
        String rendered = null;
        TemplateException error = null;
        try {
            rendered = template.apply((List<Object>) c.get("messages"), (List<Object>) c.get("tools"),
                    (Boolean) c.get("add_generation_prompt"), variables);
        } catch (TemplateException e) {
            error = e;
        }
        if (c.get("rendered") != null) {
            assertThat(error).isNull();
            assertThat(rendered).isEqualTo(c.get("rendered"));
            return;
        }
        assertThat(error).as("should fail with %s: %s, gave %s", c.get("error_type"), c.get("error"), rendered).isNotNull();
        if ("TemplateError".equals(c.get("error_type"))) {
            assertThat(error.raisedByTemplate()).isTrue();
            assertThat(error.detail()).isEqualTo(c.get("error"));
        } else {
            assertThat(error.detail()).isEqualTo(c.get("error_type") + ": " + c.get("error"));
        }
    }
}
