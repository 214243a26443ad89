package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 32 streaming clients at once, a quarter of them hanging up at random points: every completed answer
 * is well-formed and identical to the same request run alone, the server keeps serving, sequences were
 * decoded together, and the metrics add up.
 */
class LoadTest {
    private static final int CLIENTS = 32;

    /** What one streaming client saw. */
    record Outcome(String text, String finish, boolean complete) {
    }

    private static ObjectNode request(int i) {
        ObjectNode body = TestServer.JSON.createObjectNode();
        body.put("model", "stories260K");
        body.putArray("messages").addObject().put("role", "user").put("content", "Tell story number " + i);
        body.put("max_tokens", 24 + (i % 5) * 8);
        body.put("temperature", 0.9);
        body.put("seed", 100 + i);
        body.put("stream", true);
        return body;
    }

    /** Streams one request; when {@code hangUpAfter} ≥ 0, closes the connection after that many events. */
    private static Outcome stream(TestServer t, ObjectNode body, int hangUpAfter) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(t.uri("/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<InputStream> resp = t.client.send(r, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(resp.statusCode()).isEqualTo(200);
        StringBuilder text = new StringBuilder();
        String finish = null;
        String id = null;
        int events = 0;
        boolean done = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                if (hangUpAfter >= 0 && events == hangUpAfter) {
                    return new Outcome(text.toString(), null, false);   // closing the reader drops the connection
                }
                events++;
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    done = true;
                    continue;
                }
                assertThat(done).as("nothing after [DONE]").isFalse();
                JsonNode j = TestServer.parse(data);
                if (id == null) {
                    id = j.get("id").asText();
                    assertThat(j.get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
                }
                assertThat(j.get("id").asText()).isEqualTo(id);
                JsonNode c = j.get("choices").get(0);
                text.append(c.get("delta").path("content").asText(""));
                if (!c.get("finish_reason").isNull()) {
                    assertThat(finish).as("one finish_reason").isNull();
                    finish = c.get("finish_reason").asText();
                }
            }
        }
        assertThat(done).as("the stream ends with [DONE]").isTrue();
        assertThat(finish).isIn("stop", "length");
        return new Outcome(text.toString(), finish, true);
    }

    private static long metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\d+)").matcher(metrics);
        assertThat(m.find()).as(name).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void thirtyTwoStreamingClientsWithAQuarterHangingUp() throws Exception {
        try (TestServer t = TestServer.stories(ServerOptions.defaults().withParallel(8, 64))) {
            Random random = new Random(5);
            int[] hangUp = new int[CLIENTS];
            for (int i = 0; i < CLIENTS; i++) {
                hangUp[i] = i % 4 == 0 ? 1 + random.nextInt(12) : -1;
            }
            Outcome[] outcomes = new Outcome[CLIENTS];
            Throwable[] failures = new Throwable[CLIENTS];
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int k = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        outcomes[k] = stream(t, request(k), hangUp[k]);
                    } catch (Throwable e) {
                        failures[k] = e;
                    }
                }));
            }
            for (Thread th : threads) {
                th.join();
            }
            for (Throwable f : failures) {
                if (f != null) {
                    throw new AssertionError(f);
                }
            }
            String during = t.get("/metrics").body();
            // Sequences ran together: some forward passes decoded more than one.
            Matcher single = Pattern.compile("nabd_decode_batch_size_bucket\\{le=\"1\"} (\\d+)").matcher(during);
            assertThat(single.find()).isTrue();
            assertThat(Long.parseLong(single.group(1))).isLessThan(metric(during, "nabd_decode_batch_size_count"));

            // Every completed answer equals the same request run alone.
            int completed = 0;
            for (int i = 0; i < CLIENTS; i++) {
                if (outcomes[i].complete()) {
                    completed++;
                    Outcome alone = stream(t, request(i), -1);
                    assertThat(outcomes[i].text()).as("client %d", i).isEqualTo(alone.text());
                    assertThat(outcomes[i].finish()).isEqualTo(alone.finish());
                }
            }
            assertThat(completed).isEqualTo(CLIENTS - CLIENTS / 4);
            assertThat(t.get("/health").status()).isEqualTo(200);

            // Every accepted request ended exactly once, as finished or cancelled.
            String after = t.get("/metrics").body();
            long requests = metric(after, "nabd_requests_total");
            assertThat(requests).isEqualTo(CLIENTS + completed);
            Matcher stop = Pattern.compile("nabd_requests_finished_total\\{reason=\"stop\"} (\\d+)").matcher(after);
            Matcher length = Pattern.compile("nabd_requests_finished_total\\{reason=\"length\"} (\\d+)").matcher(after);
            assertThat(stop.find() && length.find()).isTrue();
            long finished = Long.parseLong(stop.group(1)) + Long.parseLong(length.group(1));
            long cancelled = metric(after, "nabd_requests_cancelled_total");
            assertThat(finished + cancelled).isEqualTo(requests);
            assertThat(cancelled).isBetween(1L, (long) CLIENTS / 4);
            assertThat(metric(after, "nabd_running_sequences")).isZero();
            assertThat(metric(after, "nabd_queue_depth")).isZero();
        }
    }
}
