package dev.nabd.cli;

import java.util.List;
import java.util.Map;

/**
 * One rendering request, shaped like the lines of {@code ../shared/tokenizers/*}{@code /templates.jsonl}:
 * {@code messages} (required), {@code tools} (absent or null = None), {@code add_generation_prompt}
 * (default false, as in transformers), {@code special_tokens} (when absent, the tokenizer's) and
 * {@code kwargs} (extra template variables such as {@code enable_thinking}). Other fields are ignored.
 * A bare JSON array is taken as the messages.
 */
record TemplateRequest(List<Object> messages, List<Object> tools, boolean addGenerationPrompt,
                       Map<String, Object> specialTokens, Map<String, Object> kwargs) {

    @SuppressWarnings("unchecked")
    static TemplateRequest from(Object json) {
        if (json instanceof List<?> messages) {
            return new TemplateRequest((List<Object>) messages, null, false, null, Map.of());
        }
        if (!(json instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("expected a JSON object with \"messages\"");
        }
        if (!(m.get("messages") instanceof List<?> messages)) {
            throw new IllegalArgumentException("\"messages\" must be an array of message objects");
        }
        Object tools = m.get("tools");
        if (tools != null && !(tools instanceof List)) {
            throw new IllegalArgumentException("\"tools\" must be an array or null");
        }
        Object agp = m.get("add_generation_prompt");
        if (agp != null && !(agp instanceof Boolean)) {
            throw new IllegalArgumentException("\"add_generation_prompt\" must be true or false");
        }
        Object special = m.get("special_tokens");
        if (special != null && !(special instanceof Map)) {
            throw new IllegalArgumentException("\"special_tokens\" must be an object");
        }
        Object kwargs = m.get("kwargs");
        if (kwargs != null && !(kwargs instanceof Map)) {
            throw new IllegalArgumentException("\"kwargs\" must be an object");
        }
        return new TemplateRequest((List<Object>) messages, (List<Object>) tools, Boolean.TRUE.equals(agp),
                (Map<String, Object>) special, kwargs == null ? Map.of() : (Map<String, Object>) kwargs);
    }
}
