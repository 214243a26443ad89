package dev.nabd;

import dev.nabd.chat.ModelChatTemplate;
import dev.nabd.engine.Engine;
import dev.nabd.engine.Generation;
import dev.nabd.engine.GenerationEvent;
import dev.nabd.engine.GenerationRequest;
import dev.nabd.engine.Usage;
import dev.nabd.sampling.SamplingParams;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A multi-turn chat with one model: the messages so far, rendered with the model's chat template for
 * every turn. The engine's prefix cache keeps the keys and values of the conversation between turns,
 * so a turn evaluates little more than the new message.
 *
 * <pre>{@code
 * try (LanguageModel m = LanguageModel.load(path, LoadOptions.DEFAULTS); Engine e = m.startEngine(1, 1)) {
 *     Conversation c = new Conversation(m, e);
 *     c.send("Hello!", System.out::print);
 * }
 * }</pre>
 *
 * Not thread-safe: one turn at a time.
 */
public final class Conversation {
    private final Engine engine;
    private final ModelChatTemplate template;
    private final List<Map<String, Object>> messages = new ArrayList<>();
    private String system;
    private Generation current;

    /**
     * The outcome of one turn.
     *
     * @param text the assistant's answer as added to the conversation
     * @param stopped whether it was cut short by {@link #stop()}
     * @param usage prompt, cached and generated token counts
     * @param generationTokensPerSecond decoding speed of the answer
     */
    public record Turn(String text, boolean stopped, Usage usage, double generationTokensPerSecond) {
    }

    public Conversation(LanguageModel model, Engine engine) {
        this.engine = engine;
        this.template = ModelChatTemplate.fromGguf(model.file().metadata());
    }

    /** Whether the model has no chat template of its own and ChatML stands in. */
    public boolean usesFallbackTemplate() {
        return template.fallback();
    }

    /** Sets (or, with null, removes) the system message that opens the conversation. */
    public void setSystem(String text) {
        this.system = text;
    }

    public String system() {
        return system;
    }

    /** The turns so far, as {@code role}/{@code content} maps, without the system message. */
    public List<Map<String, Object>> messages() {
        return List.copyOf(messages);
    }

    /** Replaces the turns (loading a saved chat). */
    public void setMessages(List<Map<String, Object>> turns) {
        messages.clear();
        for (Map<String, Object> m : turns) {
            messages.add(new LinkedHashMap<>(m));
        }
    }

    /** Forgets every turn; the system message stays. */
    public void reset() {
        messages.clear();
    }

    /**
     * Adds a user message and generates the answer, streaming its text to {@code onText}. A turn that
     * fails (its prompt does not fit, say) leaves the conversation as it was.
     *
     * @param maxTokens most tokens of the answer, -1 for no limit but the context
     */
    public Turn send(String userText, SamplingParams sampling, int maxTokens, Consumer<String> onText) throws InterruptedException {
        List<Map<String, Object>> prompt = new ArrayList<>();
        if (system != null) {
            prompt.add(message("system", system));
        }
        prompt.addAll(messages);
        prompt.add(message("user", userText));
        String rendered = template.render(prompt, null, true, Map.of());
        int[] ids = engine.tokenizer().encodeChatPrompt(rendered);
        current = engine.submit(new GenerationRequest(ids, maxTokens, sampling, List.of(), Map.of(), -1, false));
        StringBuilder text = new StringBuilder();
        try {
            while (true) {
                switch (current.next()) {
                    case GenerationEvent.Token t -> {
                        text.append(t.text());
                        onText.accept(t.text());
                    }
                    case GenerationEvent.Done d -> {
                        text.append(d.text());
                        onText.accept(d.text());
                        boolean stopped = d.reason() == dev.nabd.engine.FinishReason.CANCELLED;
                        messages.add(message("user", userText));
                        messages.add(message("assistant", text.toString()));
                        return new Turn(text.toString(), stopped, d.usage(), d.timings().generationTokensPerSecond());
                    }
                    case GenerationEvent.Failed f -> throw new dev.nabd.engine.GenerationException(f.message());
                }
            }
        } finally {
            current = null;
        }
    }

    /** Stops the answer being generated (from another thread, such as a Ctrl-C handler); its text so far stays. */
    public void stop() {
        Generation g = current;
        if (g != null) {
            g.cancel();
        }
    }

    private static Map<String, Object> message(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return m;
    }
}
