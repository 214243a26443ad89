package dev.nabd.server;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabd.chat.TemplateException;
import dev.nabd.engine.Completion;
import dev.nabd.engine.GenerationEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /v1/chat/completions}: messages rendered with the model's chat template, generated with
 * the engine, answered whole or streamed as OpenAI's {@code chat.completion.chunk} events.
 */
final class ChatCompletionsEndpoint {
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private ChatCompletionsEndpoint() {
    }

    static void handle(Exchange ex, ServedModel m, JsonNode body) throws IOException, InterruptedException {
        Fields f = new Fields(body);
        OpenAiServer.checkModel(f, m);
        List<Map<String, Object>> messages = messages(f.node("messages"));
        List<Object> tools = null;
        if (f.has("tools")) {
            if (!f.node("tools").isArray()) {
                throw Fields.wrongType("tools", "a list of tool definitions");
            }
            tools = Json.MAPPER.convertValue(f.node("tools"), new TypeReference<List<Object>>() { });
        }
        Map<String, Object> kwargs = new LinkedHashMap<>();
        if (f.has("chat_template_kwargs")) {
            if (!f.node("chat_template_kwargs").isObject()) {
                throw Fields.wrongType("chat_template_kwargs", "an object");
            }
            kwargs.putAll(Json.MAPPER.convertValue(f.node("chat_template_kwargs"), new TypeReference<Map<String, Object>>() { }));
        }
        JsonNode format = f.node("response_format");
        if (format != null && !"text".equals(format.path("type").asText())) {
            throw ApiException.invalid("response_format '" + format.path("type").asText() + "' is not supported; only 'text'",
                    "response_format");
        }
        GenerationParams p = GenerationParams.read(f, -1, true);
        String rendered;
        try {
            rendered = m.template().render(messages, tools, true, kwargs);
        } catch (TemplateException e) {
            throw ApiException.invalid("the chat template could not render these messages: " + e.getMessage(), "messages");
        }
        Choices choices = Choices.submit(m, List.of(m.tokenizer().encodeChatPrompt(rendered)), p);
        String id = OpenAiServer.newId("chatcmpl-");
        long created = System.currentTimeMillis() / 1000;
        if (p.stream()) {
            stream(ex, m, p, choices, id, created);
        } else {
            Json.send(ex, 200, whole(m, p, choices, id, created));
        }
    }

    /** Messages as the template sees them: maps of plain values, text parts joined into one string. */
    private static List<Map<String, Object>> messages(JsonNode node) {
        if (node == null || !node.isArray()) {
            throw ApiException.invalid("messages must be a list of message objects", "messages");
        }
        if (node.isEmpty()) {
            throw ApiException.invalid("messages must not be empty", "messages");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode msg = node.get(i);
            String where = "messages[" + i + "]";
            if (!msg.isObject()) {
                throw ApiException.invalid(where + " must be an object", where);
            }
            String role = msg.path("role").isTextual() ? msg.get("role").asText() : null;
            if (role == null || !ROLES.contains(role)) {
                throw ApiException.invalid(where + ".role must be one of " + ROLES + ", not " + msg.get("role"), where + ".role");
            }
            Map<String, Object> m = Json.MAPPER.convertValue(msg, new TypeReference<LinkedHashMap<String, Object>>() { });
            JsonNode content = msg.get("content");
            if (content == null || content.isNull()) {
                if (!role.equals("assistant")) {
                    throw ApiException.invalid(where + ".content is required for role " + role, where + ".content");
                }
            } else if (content.isArray()) {
                m.put("content", textParts(content, where));
            } else if (!content.isTextual()) {
                throw ApiException.invalid(where + ".content must be a string or a list of content parts", where + ".content");
            }
            out.add(m);
        }
        return out;
    }

    /** Text content parts joined with newlines, as vLLM does; other kinds of part cannot be read by this model. */
    private static String textParts(JsonNode parts, String where) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            String type = part.path("type").asText("");
            if (!type.equals("text") || !part.path("text").isTextual()) {
                throw ApiException.invalid(where + ".content: parts of type '" + type + "' are not supported; this model reads text parts",
                        where + ".content");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }

    private static ObjectNode whole(ServedModel m, GenerationParams p, Choices choices, String id, long created)
            throws InterruptedException {
        ObjectNode root = Json.header(m, id, created, "chat.completion");
        ArrayNode list = root.putArray("choices");
        for (int i = 0; i < choices.size(); i++) {
            Completion c = choices.await(i);
            ObjectNode choice = list.addObject();
            choice.put("index", i);
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", c.text());
            if (p.topLogprobs() >= 0) {
                ArrayNode content = choice.putObject("logprobs").putArray("content");
                c.logprobs().forEach(lp -> content.add(Json.chatLogprob(m, lp)));
            } else {
                choice.putNull("logprobs");
            }
            choice.put("finish_reason", c.finishReason().wireName());
        }
        root.set("usage", Json.usage(choices.usage()));
        return root;
    }

    private static void stream(Exchange ex, ServedModel m, GenerationParams p, Choices choices, String id, long created)
            throws IOException, InterruptedException {
        OutputStream os = ex.stream(200, "text/event-stream; charset=utf-8");
        try {
            for (int i = 0; i < choices.size(); i++) {
                ObjectNode delta = Json.object();
                delta.put("role", "assistant");
                delta.put("content", "");
                Json.event(os, chunk(m, p, id, created, i, delta, null, null));
            }
        } catch (IOException gone) {
            choices.cancelAll();
            os.close();
            throw gone;
        }
        SseStream.follow(os, choices, new SseStream.Shape() {
            @Override
            public void token(OutputStream out, int index, GenerationEvent.Token t) throws IOException {
                if (!t.text().isEmpty() || t.logprobs() != null) {
                    ObjectNode lp = null;
                    if (t.logprobs() != null) {
                        lp = Json.object();
                        lp.putArray("content").add(Json.chatLogprob(m, t.logprobs()));
                    }
                    Json.event(out, chunk(m, p, id, created, index, Json.object().put("content", t.text()), lp, null));
                }
            }

            @Override
            public void done(OutputStream out, int index, GenerationEvent.Done d) throws IOException {
                if (!d.text().isEmpty()) {
                    Json.event(out, chunk(m, p, id, created, index, Json.object().put("content", d.text()), null, null));
                }
                Json.event(out, chunk(m, p, id, created, index, Json.object(), null, d.reason().wireName()));
            }
        }, !p.includeUsage() ? null : usage -> Json.usageChunk(m, id, created, "chat.completion.chunk", usage));
    }

    private static ObjectNode chunk(ServedModel m, GenerationParams p, String id, long created, int index, ObjectNode delta,
                                    ObjectNode logprobs, String finish) {
        ObjectNode root = Json.header(m, id, created, "chat.completion.chunk");
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", index);
        choice.set("delta", delta);
        if (logprobs == null) {
            choice.putNull("logprobs");
        } else {
            choice.set("logprobs", logprobs);
        }
        choice.put("finish_reason", finish);
        if (p.includeUsage()) {
            root.putNull("usage");
        }
        return root;
    }
}
