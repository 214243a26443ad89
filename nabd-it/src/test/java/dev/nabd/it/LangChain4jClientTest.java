package dev.nabd.it;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LangChain4j's OpenAI module ({@code dev.langchain4j:langchain4j-open-ai}) against nabd on a loopback socket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LangChain4jClientTest {
    private static ItServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ItServer.start(null);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Greedy and seeded, so that the blocking and the streaming model give the same text. */
    private static OpenAiChatModel.OpenAiChatModelBuilder blocking(String model) {
        return OpenAiChatModel.builder().baseUrl(server.baseUrl()).apiKey("not-checked").modelName(model)
                .temperature(0.0).seed(42).maxTokens(32).maxRetries(0).timeout(Duration.ofSeconds(30));
    }

    private static OpenAiStreamingChatModel streaming(String model) {
        return OpenAiStreamingChatModel.builder().baseUrl(server.baseUrl()).apiKey("not-checked").modelName(model)
                .temperature(0.0).seed(42).maxTokens(32).timeout(Duration.ofSeconds(30)).build();
    }

    private static ChatRequest conversation() {
        return ChatRequest.builder().messages(
                SystemMessage.from("You tell short stories."),
                UserMessage.from("Tell me about a cat."),
                AiMessage.from("Once upon a time, there was a cat named Tom."),
                UserMessage.from("What did Tom do next?")).build();
    }

    @Test
    void blockingChat() {
        ChatResponse r = blocking(ItServer.MODEL).build().chat(conversation());

        assertThat(r.aiMessage().text()).isNotBlank();
        assertThat(r.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
        assertThat(r.modelName()).isEqualTo(ItServer.MODEL);
        assertThat(r.id()).startsWith("chatcmpl-");
        assertThat(r.tokenUsage().outputTokenCount()).isBetween(1, 32);
        assertThat(r.tokenUsage().inputTokenCount()).isPositive();
        assertThat(r.tokenUsage().totalTokenCount()).isEqualTo(r.tokenUsage().inputTokenCount() + r.tokenUsage().outputTokenCount());
        // The one-string convenience call goes the same way.
        assertThat(blocking(ItServer.MODEL).build().chat("Once upon a time")).isNotBlank();
    }

    @Test
    void streamingChatEqualsBlockingChat() throws Exception {
        ChatResponse whole = blocking(ItServer.MODEL).build().chat(conversation());

        List<String> partials = new ArrayList<>();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming(ItServer.MODEL).chat(conversation(), new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                partials.add(text);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse streamed = done.get(30, TimeUnit.SECONDS);

        assertThat(partials).hasSizeGreaterThan(1);
        assertThat(String.join("", partials)).isEqualTo(streamed.aiMessage().text());
        assertThat(streamed.aiMessage().text()).isEqualTo(whole.aiMessage().text());
        assertThat(streamed.finishReason()).isEqualTo(whole.finishReason());
        // LangChain4j asks for stream_options.include_usage: the last chunk's usage arrives.
        assertThat(streamed.tokenUsage()).isNotNull();
        assertThat(streamed.tokenUsage().outputTokenCount()).isEqualTo(whole.tokenUsage().outputTokenCount());
        assertThat(streamed.tokenUsage().inputTokenCount()).isEqualTo(whole.tokenUsage().inputTokenCount());
    }

    @Test
    void unknownModelIsModelNotFound() {
        assertThatThrownBy(() -> blocking("gpt-4o").build().chat("Hello"))
                .isInstanceOfSatisfying(ModelNotFoundException.class, e -> assertThat(e.getMessage()).contains("gpt-4o"));
    }

    @Test
    void streamingErrorReachesOnError() {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming("gpt-4o").chat("Hello", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String text) {
                done.completeExceptionally(new AssertionError("text for an unknown model: " + text));
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        assertThatThrownBy(() -> done.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ModelNotFoundException.class);
    }

    @Test
    void badParameterIsInvalidRequest() {
        assertThatThrownBy(() -> blocking(ItServer.MODEL).temperature(7.0).build().chat("Hello"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.getMessage()).contains("temperature"));
    }

    @Test
    void wrongApiKeyIsAuthenticationError() throws Exception {
        try (ItServer keyed = ItServer.start("sk-nabd-test")) {
            OpenAiChatModel wrong = OpenAiChatModel.builder().baseUrl(keyed.baseUrl()).apiKey("sk-wrong")
                    .modelName(ItServer.MODEL).maxTokens(4).maxRetries(0).build();
            assertThatThrownBy(() -> wrong.chat("Hello")).isInstanceOf(AuthenticationException.class);
            OpenAiChatModel right = OpenAiChatModel.builder().baseUrl(keyed.baseUrl()).apiKey("sk-nabd-test")
                    .modelName(ItServer.MODEL).maxTokens(4).maxRetries(0).build();
            assertThat(right.chat("Hello")).isNotNull();
        }
    }
}
