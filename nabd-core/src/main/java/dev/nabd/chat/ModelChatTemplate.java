package dev.nabd.chat;

import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufMetadata;
import dev.nabd.gguf.GgufValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat template(s) a model file carries and the special tokens they are rendered with, as llama.cpp
 * reads them from GGUF: {@code tokenizer.chat_template} (and {@code tokenizer.chat_template.NAME}), with
 * {@code bos_token}, {@code eos_token}, ... looked up from their ids in {@code tokenizer.ggml.tokens}.
 * As in transformers, a request with tools takes the {@code tool_use} template if there is one.
 *
 * @param named         the templates by name ({@code default} for the main one)
 * @param specialTokens {@code bos_token}, {@code eos_token}, ... as the model defines them
 * @param fallback      whether the model has no template and ChatML stands in for it
 */
public record ModelChatTemplate(Map<String, ChatTemplate> named, Map<String, Object> specialTokens, boolean fallback) {

    /** ChatML, for models that carry no template (what llama.cpp and vLLM fall back to as well). */
    public static final String CHATML = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
            + "{{ message['content'] }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private static final Map<String, String> GGUF_TOKEN_IDS = ids(
            "bos_token", "tokenizer.ggml.bos_token_id", "eos_token", "tokenizer.ggml.eos_token_id",
            "unk_token", "tokenizer.ggml.unknown_token_id", "sep_token", "tokenizer.ggml.seperator_token_id",
            "pad_token", "tokenizer.ggml.padding_token_id", "cls_token", "tokenizer.ggml.cls_token_id",
            "mask_token", "tokenizer.ggml.mask_token_id");

    private static Map<String, String> ids(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * Reads the templates and special tokens of a GGUF file; ChatML when it has no template.
     *
     * @throws TemplateException when a template in the file does not parse
     */
    public static ModelChatTemplate fromGguf(GgufMetadata md) {
        Map<String, ChatTemplate> named = new LinkedHashMap<>();
        String prefix = "tokenizer.chat_template";
        for (Map.Entry<String, GgufValue> e : md.asMap().entrySet()) {
            String key = e.getKey();
            if (e.getValue().value() instanceof String s && (key.equals(prefix) || key.startsWith(prefix + "."))) {
                named.put(key.equals(prefix) ? "default" : key.substring(prefix.length() + 1), ChatTemplate.parse(s));
            }
        }
        Map<String, Object> special = new LinkedHashMap<>();
        String[] tokens = md.findArray("tokenizer.ggml.tokens").map(GgufArray::strings).orElse(null);
        for (Map.Entry<String, String> e : GGUF_TOKEN_IDS.entrySet()) {
            if (tokens != null && md.contains(e.getValue())) {
                long id = md.getLong(e.getValue());
                if (id >= 0 && id < tokens.length) { // llama.cpp writes -1 (as uint32) for "none"
                    special.put(e.getKey(), tokens[(int) id]);
                }
            }
        }
        boolean fallback = !named.containsKey("default");
        if (fallback) {
            named.put("default", ChatTemplate.parse(CHATML));
        }
        return new ModelChatTemplate(Map.copyOf(named), special, fallback);
    }

    /** The template for a request: {@code tool_use} when it has tools and the model has one. */
    public ChatTemplate select(boolean withTools) {
        if (withTools && named.containsKey("tool_use")) {
            return named.get("tool_use");
        }
        return named.get("default");
    }

    /**
     * Renders a conversation as transformers' {@code apply_chat_template(tokenize=False)} does.
     *
     * @param kwargs further variables (such as {@code enable_thinking}); they win over the special tokens
     * @throws TemplateException when the template raises an exception or fails
     */
    public String render(List<?> messages, List<?> tools, boolean addGenerationPrompt, Map<String, ?> kwargs) {
        Map<String, Object> variables = new LinkedHashMap<>(specialTokens);
        if (kwargs != null) {
            variables.putAll(kwargs);
        }
        return select(tools != null && !tools.isEmpty()).apply(messages, tools, addGenerationPrompt, variables);
    }
}
