package dev.nabd.cli;

import dev.nabd.chat.ChatTemplate;

import java.util.Map;

/**
 * The chat template(s) of a tokenizer and the special tokens it renders them with. A tokenizer may name
 * several templates; as in transformers, a request with tools takes {@code tool_use} if there is one,
 * otherwise {@code default}.
 *
 * @param origin        where the template came from, for messages
 * @param named         the templates by name ({@code default} when there is just one)
 * @param specialTokens {@code bos_token}, {@code eos_token}, ... as the tokenizer defines them
 */
record ChatTemplates(String origin, Map<String, ChatTemplate> named, Map<String, Object> specialTokens) {

    ChatTemplate select(boolean withTools) {
        if (withTools && named.containsKey("tool_use")) {
            return named.get("tool_use");
        }
        ChatTemplate t = named.get("default");
        if (t == null) {
            throw new UserInputException(origin + " has several chat templates " + named.keySet() + " and none is named 'default'");
        }
        return t;
    }
}
