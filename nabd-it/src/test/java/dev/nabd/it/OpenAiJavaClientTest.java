package dev.nabd.it;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.UnauthorizedException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionChoice;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.models.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) against nabd on a loopback socket. Every
 * response is {@code validate()}d, so a field the SDK requires but the server left out fails here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiJavaClientTest {
    private static ItServer server;
    private static OpenAIClient client;

    @BeforeAll
    static void start() throws Exception {
        server = ItServer.start(null);
        client = client(server, "not-checked");
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static OpenAIClient client(ItServer s, String apiKey) {
        // No retries: an error must show as the status the server sent, at once.
        return OpenAIOkHttpClient.builder().baseUrl(s.baseUrl()).apiKey(apiKey).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    /**
     * A greedy, seeded request, so that every run (and the streamed run) gives the same text. OpenAI has
     * deprecated {@code seed} for chat; nabd honours it.
     */
    @SuppressWarnings("deprecation")
    private static ChatCompletionCreateParams.Builder greedyChat(String text, long maxTokens) {
        return ChatCompletionCreateParams.builder().model(ItServer.MODEL).addUserMessage(text)
                .maxCompletionTokens(maxTokens).temperature(0.0).seed(42L);
    }

    @Test
    void blockingChatCompletion() {
        ChatCompletion c = client.chat().completions().create(greedyChat("Once upon a time", 24).build()).validate();

        assertThat(c.id()).startsWith("chatcmpl-");
        assertThat(c.model()).isEqualTo(ItServer.MODEL);
        assertThat(c.choices()).hasSize(1);
        ChatCompletion.Choice choice = c.choices().getFirst();
        assertThat(choice.index()).isZero();
        assertThat(choice.message().content()).hasValueSatisfying(t -> assertThat(t).isNotBlank());
        assertThat(choice.finishReason()).isIn(ChatCompletion.Choice.FinishReason.STOP, ChatCompletion.Choice.FinishReason.LENGTH);
        CompletionUsage usage = c.usage().orElseThrow();
        assertThat(usage.completionTokens()).isBetween(1L, 24L);
        assertThat(usage.promptTokens()).isPositive();
        assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());
    }

    @Test
    void streamedChatEqualsBlockingChatForTheSameGreedyRequest() {
        ChatCompletionCreateParams blocking = greedyChat("Lily went to the park", 40).build();
        ChatCompletion whole = client.chat().completions().create(blocking).validate();
        String expected = whole.choices().getFirst().message().content().orElseThrow();

        ChatCompletionCreateParams streaming = greedyChat("Lily went to the park", 40)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk.Choice.FinishReason> finishes = new ArrayList<>();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        CompletionUsage[] usage = new CompletionUsage[1];
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streaming)) {
            stream.stream().forEach(chunk -> {
                chunk.validate();
                chunks.add(chunk);
                chunk.usage().ifPresent(u -> usage[0] = u);
                for (ChatCompletionChunk.Choice choice : chunk.choices()) {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(finishes::add);
                }
            });
        }

        assertThat(chunks).hasSizeGreaterThan(2);
        // OpenAI's order: the role comes first, alone; the last chunk (with include_usage) has no choices.
        assertThat(chunks.getFirst().choices().getFirst().delta().role())
                .hasValue(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
        assertThat(chunks.getLast().choices()).isEmpty();
        assertThat(chunks).allSatisfy(c -> assertThat(c.id()).isEqualTo(chunks.getFirst().id()));
        assertThat(text.toString()).isEqualTo(expected);
        assertThat(finishes).hasSize(1);
        assertThat(finishes.getFirst().asString()).isEqualTo(whole.choices().getFirst().finishReason().asString());
        assertThat(usage[0]).isNotNull();
        assertThat(usage[0].completionTokens()).isEqualTo(whole.usage().orElseThrow().completionTokens());
        assertThat(usage[0].promptTokens()).isEqualTo(whole.usage().orElseThrow().promptTokens());
    }

    @Test
    void severalChoicesAndLogprobs() {
        ChatCompletion c = client.chat().completions().create(greedyChat("Tom had a red ball", 8)
                .n(2L).logprobs(true).topLogprobs(3L).build()).validate();

        assertThat(c.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        for (ChatCompletion.Choice choice : c.choices()) {
            List<ChatCompletionTokenLogprob> tokens = choice.logprobs().orElseThrow().content().orElseThrow();
            assertThat(tokens).isNotEmpty();
            assertThat(tokens).allSatisfy(t -> {
                assertThat(t.logprob()).isLessThanOrEqualTo(0.0);
                assertThat(t.topLogprobs()).hasSize(3);
            });
            // The tokens' texts spell the message.
            assertThat(String.join("", tokens.stream().map(ChatCompletionTokenLogprob::token).toList()))
                    .isEqualTo(choice.message().content().orElseThrow());
        }
        // Greedy: both choices are the same text.
        assertThat(c.choices().get(1).message().content()).isEqualTo(c.choices().get(0).message().content());
    }

    @Test
    void streamedChoicesAndLogprobsAccumulateToTheBlockingAnswer() {
        ChatCompletionCreateParams params = greedyChat("Tom had a red ball", 12).n(2L).logprobs(true).topLogprobs(2L).build();
        ChatCompletion whole = client.chat().completions().create(params).validate();

        // The SDK's own helper folds chunks into a ChatCompletion, as an application would.
        ChatCompletionAccumulator acc = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(acc::accumulate);
        }
        ChatCompletion folded = acc.chatCompletion().validate();

        assertThat(folded.choices()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            ChatCompletion.Choice a = whole.choices().get(i);
            ChatCompletion.Choice b = folded.choices().get(i);
            assertThat(b.index()).isEqualTo(i);
            assertThat(b.message().content()).isEqualTo(a.message().content());
            assertThat(b.finishReason()).isEqualTo(a.finishReason());
            assertThat(b.logprobs().orElseThrow().content().orElseThrow())
                    .extracting(ChatCompletionTokenLogprob::token)
                    .isEqualTo(a.logprobs().orElseThrow().content().orElseThrow().stream().map(ChatCompletionTokenLogprob::token).toList());
        }
    }

    @Test
    void stopStringEndsTheAnswerBeforeIt() {
        String text = client.chat().completions().create(greedyChat("Once upon a time", 40).build())
                .choices().getFirst().message().content().orElseThrow();
        // A piece from the middle of the greedy answer: the same request with it as a stop string ends just before it.
        int from = text.indexOf(' ', text.length() / 3);
        assertThat(from).as("a space in %s", text).isPositive();
        String stop = text.substring(from, Math.min(text.length(), from + 4));
        ChatCompletion stopped = client.chat().completions().create(greedyChat("Once upon a time", 40).stop(stop).build()).validate();

        assertThat(stopped.choices().getFirst().message().content()).hasValue(text.substring(0, text.indexOf(stop)));
        assertThat(stopped.choices().getFirst().finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    }

    @Test
    void textCompletionBlockingAndStreamed() {
        CompletionCreateParams params = CompletionCreateParams.builder().model(ItServer.MODEL)
                .prompt("Once upon a time, there was a little girl").maxTokens(20L).temperature(0.0).seed(7L).build();
        Completion whole = client.completions().create(params).validate();
        CompletionChoice choice = whole.choices().getFirst();
        assertThat(choice.text()).isNotBlank();
        assertThat(choice.finishReason()).isIn(CompletionChoice.FinishReason.STOP, CompletionChoice.FinishReason.LENGTH);
        assertThat(whole.usage().orElseThrow().completionTokens()).isBetween(1L, 20L);

        StringBuilder text = new StringBuilder();
        List<String> finishes = new ArrayList<>();
        try (StreamResponse<Completion> stream = client.completions().createStreaming(params)) {
            // No validate() here: the SDK's Completion type requires finish_reason, which OpenAI itself
            // sends as null on every streamed chunk but the last.
            stream.stream().forEach(chunk -> {
                for (CompletionChoice c : chunk.choices()) {
                    text.append(c.text());
                    if (c._finishReason().isMissing() || c._finishReason().isNull()) {
                        continue;
                    }
                    finishes.add(c.finishReason().asString());
                }
            });
        }
        assertThat(text.toString()).isEqualTo(choice.text());
        assertThat(finishes).containsExactly(choice.finishReason().asString());
    }

    @Test
    void modelsListAndRetrieve() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactly(ItServer.MODEL);
        models.forEach(Model::validate);
        Model m = client.models().retrieve(ItServer.MODEL).validate();
        assertThat(m.id()).isEqualTo(ItServer.MODEL);
        assertThat(m.ownedBy()).isNotBlank();
    }

    @Test
    void unknownModelIsNotFound() {
        ChatCompletionCreateParams params = greedyChat("Hello", 4).model("gpt-4o").build();
        assertThatThrownBy(() -> client.chat().completions().create(params))
                .isInstanceOfSatisfying(NotFoundException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(404);
                    assertThat(e.code()).hasValue("model_not_found");
                    assertThat(e.getMessage()).contains("gpt-4o");
                });
        assertThatThrownBy(() -> client.models().retrieve("gpt-4o")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void badParameterIsBadRequest() {
        ChatCompletionCreateParams params = greedyChat("Hello", 4).temperature(5.0).build();
        assertThatThrownBy(() -> client.chat().completions().create(params))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.param()).hasValue("temperature");
                    assertThat(e.type()).hasValue("invalid_request_error");
                });
    }

    @Test
    void apiKeyIsChecked() throws Exception {
        try (ItServer keyed = ItServer.start("sk-nabd-test")) {
            OpenAIClient wrong = client(keyed, "sk-wrong");
            OpenAIClient right = client(keyed, "sk-nabd-test");
            assertThatThrownBy(() -> wrong.models().list())
                    .isInstanceOfSatisfying(UnauthorizedException.class, e -> assertThat(e.statusCode()).isEqualTo(401));
            assertThatThrownBy(() -> wrong.chat().completions().create(greedyChat("Hi", 4).build()))
                    .isInstanceOf(UnauthorizedException.class);
            assertThat(right.models().list().data()).extracting(Model::id).containsExactly(ItServer.MODEL);
            assertThat(right.chat().completions().create(greedyChat("Hi", 4).build()).choices()).hasSize(1);
            wrong.close();
            right.close();
        }
    }
}
