package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.gguf.GgufFile;
import dev.nabd.gguf.GgufMetadata;
import dev.nabd.gguf.GgufValue;
import dev.nabd.model.Architecture;
import dev.nabd.model.SyntheticModel;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat prompts built with a real chat template: a small random-weight Qwen3 model written by our GGUF
 * writer, carrying the real Qwen3 vocabulary and the chat template of {@code ../shared/tokenizers/qwen3}.
 * The prompt the server builds for each conversation of {@code templates.jsonl} has exactly as many
 * tokens as Hugging Face's rendering, and template errors come back as 400s with their message.
 */
class ChatTemplateServingTest {
    @TempDir
    static Path dir;
    private static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        Path shared = TestServer.projectRoot().resolveSibling("shared");
        Map<String, GgufValue> tokenizer;
        try (GgufFile vocab = GgufFile.open(shared.resolve("golden/tokenizer/qwen3-real-vocab.gguf"))) {
            tokenizer = new LinkedHashMap<>(vocab.metadata().asMap());
        }
        String template = Files.readString(shared.resolve("tokenizers/qwen3/chat_template.jinja"));
        tokenizer.put("tokenizer.chat_template", GgufValue.ofString(template));
        Path model = dir.resolve("qwen3-real-vocab-random.gguf");
        SyntheticModel.small(Architecture.QWEN3, GgmlType.Q8_0, 3)
                .withTokenizerFrom(new GgufMetadata("qwen3-real-vocab", tokenizer)).withContextLength(2048).write(model);
        t = TestServer.start(ServerOptions.defaults().withParallel(2, 16),
                () -> LanguageModel.load(model, new LoadOptions(0, 2, 64, GgmlType.F16)), "qwen3-test");
    }

    @AfterAll
    static void stop() {
        if (t != null) {
            t.close();
        }
    }

    static List<JsonNode> records() throws Exception {
        Path file = TestServer.projectRoot().resolveSibling("shared").resolve("tokenizers/qwen3/templates.jsonl");
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(TestServer.parse(line));
            }
        }
        return out;
    }

    @Test
    void promptsHaveHuggingFacesTokenCountAndTemplateErrorsAre400() throws Exception {
        int checked = 0;
        int errors = 0;
        for (JsonNode r : records()) {
            if (!r.get("add_generation_prompt").asBoolean() || !r.get("special_tokens").path("bos_token").isMissingNode()) {
                continue;   // the server always asks for the assistant's turn, with the GGUF's own special tokens
            }
            ObjectNode body = TestServer.JSON.createObjectNode();
            body.set("messages", r.get("messages"));
            if (!r.get("tools").isNull()) {
                body.set("tools", r.get("tools"));
            }
            body.set("chat_template_kwargs", r.get("kwargs"));
            body.put("max_tokens", 1);
            body.put("seed", 1);
            TestServer.Reply reply = t.post("/v1/chat/completions", body);
            if (!r.get("error").isNull()) {
                assertThat(reply.status()).as(r.get("id").asText()).isEqualTo(400);
                assertThat(reply.json().get("error").get("message").asText()).contains(r.get("error").asText());
                errors++;
            } else if (r.has("ids")) {
                assertThat(reply.status()).as(r.get("id").asText() + ": " + reply.body()).isEqualTo(200);
                assertThat(reply.json().get("usage").get("prompt_tokens").asInt()).as(r.get("id").asText())
                        .isEqualTo(r.get("ids").size());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(5);
        assertThat(errors + checked).isGreaterThan(5);
    }

    @Test
    void arabicAndChineseComeBackExactly() throws Exception {
        for (String text : List.of("مرحبا بالعالم، كيف حالك؟", "你好，世界！今天天气很好。", "emoji 🙂 and كلمة 中文")) {
            ObjectNode req = TestServer.JSON.createObjectNode().put("content", text);
            ObjectNode back = TestServer.JSON.createObjectNode();
            back.set("tokens", t.post("/tokenize", req).json().get("tokens"));
            assertThat(t.post("/detokenize", back).json().get("content").asText()).isEqualTo(text);
        }
        ObjectNode body = TestServer.JSON.createObjectNode();
        body.putArray("messages").addObject().put("role", "user").put("content", "اكتب قصة قصيرة عن القطط");
        body.put("max_tokens", 8);
        body.put("seed", 3);
        TestServer.Reply reply = t.post("/v1/chat/completions", body);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("usage").get("completion_tokens").asInt()).isBetween(1, 8);
    }
}
