package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.tensor.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint over a real socket, on the bundled model: answers, streams and errors as OpenAI's. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OpenAiServerTest {
    private static TestServer t;

    @BeforeAll
    static void start() throws Exception {
        t = TestServer.stories(ServerOptions.defaults().withParallel(4, 16));
    }

    @AfterAll
    static void stop() {
        t.close();
    }

    private static ObjectNode chat(String text, int maxTokens) {
        ObjectNode body = TestServer.JSON.createObjectNode();
        body.put("model", "stories260K");
        body.putArray("messages").addObject().put("role", "user").put("content", text);
        body.put("max_tokens", maxTokens);
        body.put("seed", 42);
        return body;
    }

    private static ObjectNode completion(String prompt, int maxTokens) {
        ObjectNode body = TestServer.JSON.createObjectNode();
        body.put("prompt", prompt);
        body.put("max_tokens", maxTokens);
        body.put("seed", 7);
        return body;
    }

    @Test
    void chatCompletionHasOpenAisShapeAndUsage() throws Exception {
        TestServer.Reply r = t.post("/v1/chat/completions", chat("Once upon a time", 12));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode j = r.json();
        assertThat(j.get("id").asText()).startsWith("chatcmpl-");
        assertThat(j.get("object").asText()).isEqualTo("chat.completion");
        assertThat(j.get("model").asText()).isEqualTo("stories260K");
        JsonNode choice = j.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isNotEmpty();
        assertThat(choice.get("finish_reason").asText()).isIn("stop", "length");
        JsonNode usage = j.get("usage");
        assertThat(usage.get("completion_tokens").asInt()).isBetween(1, 12);
        assertThat(usage.get("total_tokens").asInt()).isEqualTo(usage.get("prompt_tokens").asInt() + usage.get("completion_tokens").asInt());
        assertThat(usage.get("prompt_tokens_details").get("cached_tokens").isInt()).isTrue();
    }

    @Test
    void streamingGivesRoleFirstThenDeltasThenFinishThenDoneAndTheSameText() throws Exception {
        ObjectNode body = chat("Lily and Tom", 20);
        String whole = t.post("/v1/chat/completions", body).json().get("choices").get(0).get("message").get("content").asText();
        body.put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        List<String> events = t.stream("/v1/chat/completions", body);
        assertThat(events.getLast()).isEqualTo("[DONE]");
        JsonNode first = TestServer.parse(events.getFirst());
        assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
        assertThat(first.get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        String finish = null;
        JsonNode usage = null;
        for (String e : events.subList(0, events.size() - 1)) {
            JsonNode j = TestServer.parse(e);
            assertThat(j.get("id").asText()).isEqualTo(first.get("id").asText());
            if (j.get("choices").isEmpty()) {
                usage = j.get("usage");
                continue;
            }
            assertThat(j.has("usage") && j.get("usage").isNull()).as("usage is null in every other chunk").isTrue();
            JsonNode c = j.get("choices").get(0);
            text.append(c.get("delta").path("content").asText(""));
            if (!c.get("finish_reason").isNull()) {
                finish = c.get("finish_reason").asText();
            }
        }
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(finish).isIn("stop", "length");
        assertThat(usage).isNotNull();
        assertThat(usage.get("completion_tokens").asInt()).isPositive();
    }

    @Test
    void stopStringsAreNeverPartOfTheOutput() throws Exception {
        ObjectNode body = completion("Once upon a time", 40);
        body.put("temperature", 0);
        String full = t.post("/v1/completions", body).json().get("choices").get(0).get("text").asText();
        String stop = full.substring(full.length() / 2, full.length() / 2 + 3);
        body.putArray("stop").add(stop);
        JsonNode j = t.post("/v1/completions", body).json();
        assertThat(j.get("choices").get(0).get("text").asText()).isEqualTo(full.substring(0, full.indexOf(stop)));
        assertThat(j.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");
        body.put("stream", true);
        StringBuilder streamed = new StringBuilder();
        for (String e : t.stream("/v1/completions", body)) {
            if (!e.equals("[DONE]")) {
                streamed.append(TestServer.parse(e).get("choices").get(0).get("text").asText());
            }
        }
        assertThat(streamed.toString()).isEqualTo(full.substring(0, full.indexOf(stop)));
    }

    @Test
    void completionsTakeStringsListsAndTokenIdsAndEcho() throws Exception {
        ObjectNode body = completion("Once upon a time", 5);
        body.put("temperature", 0);
        JsonNode fromText = t.post("/v1/completions", body).json();
        JsonNode ids = t.post("/tokenize", TestServer.parse("{\"content\":\"Once upon a time\",\"add_special\":true}")).json().get("tokens");
        body.set("prompt", ids);
        JsonNode fromIds = t.post("/v1/completions", body).json();
        assertThat(fromIds.get("choices").get(0).get("text")).isEqualTo(fromText.get("choices").get(0).get("text"));
        body.putArray("prompt").add("Once upon a time").add("The dog");
        body.put("n", 2);
        JsonNode two = t.post("/v1/completions", body).json();
        assertThat(two.get("choices")).hasSize(4);
        assertThat(two.get("choices").get(0).get("text")).isEqualTo(fromText.get("choices").get(0).get("text"));
        body.put("prompt", "Once upon a time");
        body.put("n", 1);
        body.put("echo", true);
        assertThat(t.post("/v1/completions", body).json().get("choices").get(0).get("text").asText())
                .isEqualTo("Once upon a time" + fromText.get("choices").get(0).get("text").asText());
    }

    @Test
    void logprobsAreSortedAndIncludeTheChosenToken() throws Exception {
        ObjectNode body = chat("Once upon a time", 4);
        body.put("temperature", 0);
        body.put("logprobs", true);
        body.put("top_logprobs", 3);
        JsonNode content = t.post("/v1/chat/completions", body).json().get("choices").get(0).get("logprobs").get("content");
        assertThat(content).hasSize(4);
        for (JsonNode entry : content) {
            JsonNode top = entry.get("top_logprobs");
            assertThat(top).hasSize(3);
            // Greedy: the chosen token is the most likely one.
            assertThat(top.get(0).get("token").asText()).isEqualTo(entry.get("token").asText());
            assertThat(top.get(0).get("logprob").asDouble()).isGreaterThanOrEqualTo(top.get(1).get("logprob").asDouble());
            assertThat(entry.get("logprob").asDouble()).isLessThanOrEqualTo(0);
            assertThat(entry.get("bytes").isArray()).isTrue();
        }
    }

    @Test
    void nChoicesDifferBySeedAndAreEachReproducible() throws Exception {
        ObjectNode body = chat("Once upon a time", 16);
        body.put("n", 3);
        body.put("temperature", 1.0);
        JsonNode a = t.post("/v1/chat/completions", body).json();
        JsonNode b = t.post("/v1/chat/completions", body).json();
        assertThat(a.get("choices")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(a.get("choices").get(i).get("index").asInt()).isEqualTo(i);
            assertThat(a.get("choices").get(i).get("message")).isEqualTo(b.get("choices").get(i).get("message"));
        }
    }

    @Test
    void modelsAreListedAndFoundById() throws Exception {
        JsonNode list = t.get("/v1/models").json();
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data").get(0).get("id").asText()).isEqualTo("stories260K");
        assertThat(t.get("/v1/models/stories260K").json().get("object").asText()).isEqualTo("model");
        TestServer.Reply missing = t.get("/v1/models/gpt-4");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").get("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void tokenizeAndDetokenizeRoundTripArabicAndChinese() throws Exception {
        String text = "Once upon a time";
        JsonNode tokens = t.post("/tokenize", TestServer.parse("{\"content\":\"" + text + "\"}")).json().get("tokens");
        ObjectNode back = TestServer.JSON.createObjectNode();
        back.set("tokens", tokens);
        assertThat(t.post("/detokenize", back).json().get("content").asText()).isEqualTo(text);
        // The bundled vocabulary has byte fallback: any text survives the round trip.
        String multilingual = "نبض 你好 🙂";
        ObjectNode req = TestServer.JSON.createObjectNode().put("content", multilingual);
        back.set("tokens", t.post("/tokenize", req).json().get("tokens"));
        assertThat(t.post("/detokenize", back).json().get("content").asText()).isEqualTo(multilingual);
        assertThat(t.post("/detokenize", TestServer.parse("{\"tokens\":[1, 99999]}")).status()).isEqualTo(400);
    }

    @Test
    void healthIsOkAndMetricsCountRequests() throws Exception {
        assertThat(t.get("/health").json().get("status").asText()).isEqualTo("ok");
        t.post("/v1/chat/completions", chat("Hi", 2));
        String metrics = t.get("/metrics").body();
        assertThat(metrics).contains("# TYPE nabd_http_requests_total counter")
                .containsPattern("nabd_http_requests_total\\{route=\"/v1/chat/completions\",status=\"200\"} [1-9]")
                .contains("nabd_time_to_first_token_seconds_bucket{le=\"+Inf\"}")
                .contains("nabd_decode_batch_size_count")
                .contains("nabd_kv_cache_usage_ratio")
                .contains("nabd_prefix_cache_hits_total")
                .contains("nabd_queue_depth");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{not json",
            "[]",
            "{\"messages\": \"hello\"}",
            "{\"messages\": []}",
            "{\"messages\": [{\"role\": \"wizard\", \"content\": \"hi\"}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\", \"image_url\": {\"url\": \"x\"}}]}]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": 5}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"temperature\": \"hot\"}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": -3}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1.5}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_p\": 1.5}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"n\": 0}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stop\": [1, 2]}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stop\": \"\"}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logit_bias\": {\"abc\": 1}}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logit_bias\": {\"5\": 1000}}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logit_bias\": {\"99999999\": 1}}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_logprobs\": 3}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logprobs\": true, \"top_logprobs\": 50}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream\": \"yes\"}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream_options\": {\"include_usage\": true}}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"response_format\": {\"type\": \"json_object\"}}",
            "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"seed\": \"x\"}",
    })
    void badChatRequestsAre400WithAnOpenAiError(String body) throws Exception {
        TestServer.Reply r = t.post("/v1/chat/completions", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        JsonNode error = r.json().get("error");
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"prompt\": 5}",
            "{\"prompt\": []}",
            "{\"prompt\": [[]]}",
            "{\"prompt\": [1, 999999]}",
            "{\"prompt\": \"hi\", \"echo\": true, \"logprobs\": 2}",
            "{\"prompt\": \"hi\", \"suffix\": \"end\"}",
    })
    void badCompletionRequestsAre400(String body) throws Exception {
        TestServer.Reply r = t.post("/v1/completions", body);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("message").asText()).isNotBlank();
    }

    @Test
    void aPromptLongerThanTheContextIs400WithBothNumbers() throws Exception {
        String longText = "Once upon a time there was a little dog. ".repeat(200);
        TestServer.Reply r = t.post("/v1/chat/completions", chat(longText, 5));
        assertThat(r.status()).isEqualTo(400);
        JsonNode error = r.json().get("error");
        assertThat(error.get("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(error.get("message").asText()).contains("512").containsPattern("prompt has \\d{4} tokens");
    }

    @Test
    void unknownRoutesMethodsAndModels() throws Exception {
        assertThat(t.get("/v1/nothing").status()).isEqualTo(404);
        assertThat(t.get("/v1/chat/completions").status()).isEqualTo(405);
        ObjectNode body = chat("Hi", 2);
        body.put("model", "gpt-4o");
        TestServer.Reply r = t.post("/v1/chat/completions", body);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("model_not_found");
    }

    @Test
    void bodiesOverTheLimitAre413() throws Exception {
        try (TestServer small = TestServer.stories(new ServerOptions("127.0.0.1", 0, null, null, 1, 4, 1024))) {
            TestServer.Reply r = small.post("/v1/chat/completions", chat("x".repeat(5000), 2));
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("request_too_large");
            assertThat(small.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void anApiKeyIsRequiredWhenSet() throws Exception {
        try (TestServer secured = TestServer.stories(ServerOptions.defaults().withApiKey("sekret").withParallel(1, 4))) {
            TestServer.Reply none = secured.post("/v1/chat/completions", chat("Hi", 2));
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().get("error").get("code").asText()).isEqualTo("invalid_api_key");
            secured.apiKey = "wrong";
            assertThat(secured.get("/v1/models").status()).isEqualTo(401);
            secured.apiKey = "sekret";
            assertThat(secured.post("/v1/chat/completions", chat("Hi", 2)).status()).isEqualTo(200);
            secured.apiKey = null;
            assertThat(secured.get("/health").status()).as("health stays open for probes").isEqualTo(200);
        }
    }

    @Test
    void requestsBeyondTheQueueAre429WithRetryAfter() throws Exception {
        try (TestServer busy = TestServer.stories(ServerOptions.defaults().withParallel(1, 0))) {
            ObjectNode endless = completion("Once", 100_000);
            endless.put("ignore_eos", true);
            endless.put("stream", true);
            HttpRequest r = HttpRequest.newBuilder(busy.uri("/v1/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(endless.toString())).build();
            HttpResponse<java.io.InputStream> running = busy.client.send(r, HttpResponse.BodyHandlers.ofInputStream());
            running.body().read(new byte[64]);   // it has started
            TestServer.Reply refused = busy.post("/v1/completions", completion("Once", 2));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
            running.body().close();
            // Once the stream is closed the sequence is freed and new requests are served.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int status;
            do {
                status = busy.post("/v1/completions", completion("Once", 2)).status();
            } while (status == 429 && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(200);
            assertThat(busy.get("/metrics").body()).containsPattern("nabd_requests_cancelled_total [1-9]");
        }
    }

    @Test
    void healthIs503WhileTheModelLoads() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer loading = TestServer.startLoading(ServerOptions.defaults(), () -> {
            release.await();
            return LanguageModel.load(TestServer.stories(), new LoadOptions(0, 1, 64, GgmlType.F16));
        })) {
            assertThat(loading.get("/health").status()).isEqualTo(503);
            TestServer.Reply chat = loading.post("/v1/chat/completions", chat("Hi", 2));
            assertThat(chat.status()).isEqualTo(503);
            assertThat(chat.json().get("error").get("code").asText()).isEqualTo("model_loading");
            release.countDown();
            assertThat(loading.server.awaitLoaded()).isNull();
            assertThat(loading.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void aModelThatFailsToLoadIsReportedByHealth() throws Exception {
        try (TestServer broken = TestServer.startLoading(ServerOptions.defaults(), () -> {
            throw new dev.nabd.model.ModelException("broken.gguf: not a model");
        })) {
            assertThat(broken.server.awaitLoaded()).contains("not a model");
            TestServer.Reply health = broken.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("error").asText()).contains("not a model");
        }
    }

    @Test
    void manyRequestsAtOnceAllSucceed() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 12; i++) {
            int k = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    statuses.add(t.post("/v1/chat/completions", chat("Story " + k, 8)).status());
                } catch (Exception e) {
                    statuses.add(-1);
                }
            }));
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(statuses).hasSize(12).containsOnly(200);
    }
}
