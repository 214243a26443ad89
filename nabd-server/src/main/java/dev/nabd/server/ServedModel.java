package dev.nabd.server;

import dev.nabd.LanguageModel;
import dev.nabd.chat.ModelChatTemplate;
import dev.nabd.engine.Engine;
import dev.nabd.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;

/**
 * The model behind the API once it is loaded: its engine, tokenizer and chat template, and the id
 * clients name it by.
 */
record ServedModel(String id, long created, LanguageModel model, Engine engine, ModelChatTemplate template) {

    Tokenizer tokenizer() {
        return model.tokenizer();
    }

    /** The text of one token for log-probabilities (a partial UTF-8 character shows as U+FFFD). */
    String tokenText(int id) {
        return new String(tokenizer().tokenBytes(id, true), StandardCharsets.UTF_8);
    }

    byte[] tokenBytes(int id) {
        return tokenizer().tokenBytes(id, true);
    }
}
