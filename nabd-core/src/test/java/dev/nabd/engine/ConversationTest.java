package dev.nabd.engine;

import dev.nabd.Conversation;
import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.sampling.SamplingParams;
import dev.nabd.tensor.GgmlType;
import dev.nabd.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The library's multi-turn chat on the bundled model (ChatML stands in for its missing template). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConversationTest {

    @Test
    void laterTurnsReuseTheCachedConversationAndStopKeepsThePartialAnswer() throws Exception {
        try (LanguageModel m = LanguageModel.load(SharedData.projectRoot().resolve("models/stories260K.gguf"),
                new LoadOptions(0, 1, 64, GgmlType.F16)); Engine e = m.startEngine(1, 1)) {
            Conversation c = new Conversation(m, e);
            assertThat(c.usesFallbackTemplate()).isTrue();
            c.setSystem("You tell stories.");
            StringBuilder streamed = new StringBuilder();
            Conversation.Turn first = c.send("Once upon a time", SamplingParams.greedy(), 12, streamed::append);
            assertThat(streamed.toString()).isEqualTo(first.text());
            assertThat(first.usage().cachedTokens()).isZero();
            Conversation.Turn second = c.send("And then?", SamplingParams.greedy(), 12, s -> { });
            assertThat(second.usage().cachedTokens()).isGreaterThanOrEqualTo(first.usage().promptTokens());
            assertThat(c.messages()).hasSize(4);
            assertThat(c.messages().get(1)).containsEntry("role", "assistant").containsEntry("content", first.text());

            // stop() from another thread ends the answer; what was written stays in the conversation.
            Conversation.Turn[] stopped = new Conversation.Turn[1];
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    stopped[0] = c.send("Tell a very long story", SamplingParams.greedy(), -1, s -> c.stop());
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            t.join();
            assertThat(stopped[0].stopped()).isTrue();
            assertThat(c.messages()).hasSize(6);

            c.reset();
            Conversation.Turn again = c.send("Once upon a time", SamplingParams.greedy(), 12, s -> { });
            assertThat(again.text()).isEqualTo(first.text());
        }
    }
}
