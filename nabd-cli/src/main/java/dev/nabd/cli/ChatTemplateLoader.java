package dev.nabd.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nabd.chat.ChatTemplate;
import dev.nabd.chat.TemplateException;
import dev.nabd.gguf.GgufArray;
import dev.nabd.gguf.GgufFile;
import dev.nabd.gguf.GgufMetadata;
import dev.nabd.gguf.GgufValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a model's chat template and special tokens, where transformers and llama.cpp keep them:
 * <ul>
 *   <li>a Hugging Face folder (or a file in it, such as tokenizer.json): {@code chat_template.jinja} if
 *       present (transformers lets it win), else {@code chat_template.json}, else the {@code chat_template}
 *       of {@code tokenizer_config.json} (a string, or a list of named templates); the special tokens
 *       come from tokenizer_config.json;</li>
 *   <li>a GGUF file: {@code tokenizer.chat_template} (and {@code tokenizer.chat_template.NAME}), with the
 *       special tokens looked up from their ids in {@code tokenizer.ggml.tokens}.</li>
 * </ul>
 */
final class ChatTemplateLoader {
    /** The variables transformers passes for the special tokens a tokenizer defines. */
    private static final List<String> SPECIAL_TOKENS = List.of("bos_token", "eos_token", "unk_token", "sep_token",
            "pad_token", "cls_token", "mask_token");
    private static final Map<String, String> GGUF_TOKEN_IDS = linked(
            "bos_token", "tokenizer.ggml.bos_token_id", "eos_token", "tokenizer.ggml.eos_token_id",
            "unk_token", "tokenizer.ggml.unknown_token_id", "sep_token", "tokenizer.ggml.seperator_token_id",
            "pad_token", "tokenizer.ggml.padding_token_id", "cls_token", "tokenizer.ggml.cls_token_id",
            "mask_token", "tokenizer.ggml.mask_token_id");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatTemplateLoader() {
    }

    private static Map<String, String> linked(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * @param tokenizer    a folder, a file in it, or a GGUF file; may be null when {@code templateFile} is given
     * @param templateFile a template that replaces the tokenizer's, or null
     */
    static ChatTemplates load(Path tokenizer, Path templateFile) throws IOException {
        if (tokenizer == null && templateFile == null) {
            throw new UserInputException("give --tokenizer PATH, --template FILE, or both");
        }
        Map<String, String> sources = new LinkedHashMap<>();
        Map<String, Object> special = new LinkedHashMap<>();
        String origin = null;
        if (tokenizer != null) {
            if (!Files.exists(tokenizer)) {
                throw new UserInputException(tokenizer + ": no such file or folder");
            }
            if (isGguf(tokenizer)) {
                origin = fromGguf(tokenizer, sources, special);
            } else {
                origin = fromFolder(Files.isDirectory(tokenizer) ? tokenizer : tokenizer.toAbsolutePath().getParent(), sources, special);
            }
        }
        if (templateFile != null) {
            if (!Files.isRegularFile(templateFile)) {
                throw new UserInputException(templateFile + ": no such file");
            }
            sources.clear();
            sources.put("default", Files.readString(templateFile, StandardCharsets.UTF_8));
            origin = templateFile.toString();
        }
        if (sources.isEmpty()) {
            throw new UserInputException(tokenizer + ": no chat template found (looked for chat_template.jinja, chat_template.json,"
                    + " \"chat_template\" in tokenizer_config.json, or tokenizer.chat_template in a GGUF file)");
        }
        Map<String, ChatTemplate> named = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : sources.entrySet()) {
            try {
                named.put(e.getKey(), ChatTemplate.parse(e.getValue()));
            } catch (TemplateException ex) {
                throw new UserInputException(origin + (e.getKey().equals("default") ? "" : " (template '" + e.getKey() + "')")
                        + ": " + ex.getMessage());
            }
        }
        return new ChatTemplates(origin, named, special);
    }

    private static boolean isGguf(Path p) {
        return Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".gguf");
    }

    private static String fromFolder(Path dir, Map<String, String> sources, Map<String, Object> special) throws IOException {
        Path config = dir.resolve("tokenizer_config.json");
        JsonNode configJson = Files.isRegularFile(config) ? readJson(config) : null;
        if (configJson != null) {
            for (String name : SPECIAL_TOKENS) {
                JsonNode t = configJson.get(name);
                // a token is a plain string or an AddedToken object; null means the tokenizer has none
                if (t != null && t.isTextual()) {
                    special.put(name, t.asText());
                } else if (t != null && t.isObject() && t.path("content").isTextual()) {
                    special.put(name, t.get("content").asText());
                }
            }
        }
        Path jinja = dir.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinja)) {
            sources.put("default", Files.readString(jinja, StandardCharsets.UTF_8));
            return jinja.toString();
        }
        Path json = dir.resolve("chat_template.json");
        if (Files.isRegularFile(json) && readJson(json).path("chat_template").isTextual()) {
            sources.put("default", readJson(json).get("chat_template").asText());
            return json.toString();
        }
        JsonNode template = configJson == null ? null : configJson.get("chat_template");
        if (template != null && template.isTextual()) {
            sources.put("default", template.asText());
        } else if (template != null && template.isArray()) {
            for (JsonNode t : template) {
                if (t.path("name").isTextual() && t.path("template").isTextual()) {
                    sources.put(t.get("name").asText(), t.get("template").asText());
                }
            }
        }
        return config.toString();
    }

    private static JsonNode readJson(Path p) throws IOException {
        try {
            return JSON.readTree(p.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UserInputException(p + ": not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static String fromGguf(Path path, Map<String, String> sources, Map<String, Object> special) {
        try (GgufFile g = GgufFile.open(path)) {
            GgufMetadata md = g.metadata();
            String prefix = "tokenizer.chat_template";
            for (Map.Entry<String, GgufValue> e : md.asMap().entrySet()) {
                String key = e.getKey();
                if (e.getValue().value() instanceof String s && (key.equals(prefix) || key.startsWith(prefix + "."))) {
                    sources.put(key.equals(prefix) ? "default" : key.substring(prefix.length() + 1), s);
                }
            }
            String[] tokens = md.get("tokenizer.ggml.tokens").map(v -> v.value() instanceof GgufArray a ? a.strings() : null).orElse(null);
            for (Map.Entry<String, String> e : GGUF_TOKEN_IDS.entrySet()) {
                if (tokens != null && md.contains(e.getValue())) {
                    long id = md.getLong(e.getValue());
                    if (id >= 0 && id < tokens.length) { // llama.cpp writes -1 (as uint32) for "none"
                        special.put(e.getKey(), tokens[(int) id]);
                    }
                }
            }
        }
        return path.toString();
    }
}
