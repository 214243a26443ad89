package dev.nabd.engine;

import dev.nabd.LanguageModel;
import dev.nabd.LoadOptions;
import dev.nabd.model.ContextOverflowException;
import dev.nabd.sampling.SamplingParams;
import dev.nabd.tensor.GgmlType;
import dev.nabd.testing.GoldenCase;
import dev.nabd.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The continuous-batching engine on the bundled stories260K model and llama.cpp's golden cases. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EngineTest {
    private static final Path STORIES = SharedData.projectRoot().resolve("models/stories260K.gguf");
    private static LanguageModel model;

    @BeforeAll
    static void load() {
        model = LanguageModel.load(STORIES, new LoadOptions(256, 2, 64, GgmlType.F16));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] prompt(String text) {
        return model.tokenizer().encode(text, true, true);
    }

    private static Completion alone(GenerationRequest r) throws InterruptedException {
        try (Engine e = model.startEngine(1, 4)) {
            return e.submit(r).await();
        }
    }

    /**
     * llama.cpp's greedy continuations, with every golden case of a model submitted at once. With exact math
     * on the stored weights the reference is the dequantised run's greedy ids, all of them; with activations
     * quantised as ggml does it is llama.cpp's own greedy ids, up to the first step whose top two logits are
     * within 0.05 (where one 8-bit step of a rounding-boundary activation may swap them).
     */
    @ParameterizedTest(name = "quantized activations: {0}")
    @ValueSource(booleans = {false, true})
    void batchedGreedyDecodingMatchesLlamaCpp(boolean quantizedActivations) throws Exception {
        List<GoldenCase> cases = GoldenCase.all("llama", "qwen2", "qwen3", "stories260K");
        Map<Path, List<GoldenCase>> byModel = new java.util.LinkedHashMap<>();
        for (GoldenCase g : cases) {
            if (expectedGreedy(g, quantizedActivations).length > 0) {   // a request for 0 tokens means "no limit"
                byModel.computeIfAbsent(g.model(), k -> new ArrayList<>()).add(g);
            }
        }
        LoadOptions options = new LoadOptions(0, 2, 64, GgmlType.F32, quantizedActivations);
        for (var entry : byModel.entrySet()) {
            try (LanguageModel m = LanguageModel.load(entry.getKey(), options);
                 Engine e = m.startEngine(4, 16)) {
                List<Generation> running = new ArrayList<>();
                for (GoldenCase g : entry.getValue()) {
                    int[] expected = expectedGreedy(g, quantizedActivations);
                    GenerationRequest r = new GenerationRequest(g.promptIds(), expected.length, SamplingParams.greedy(),
                            List.of(), Map.of(), -1, true);
                    running.add(e.submit(r));
                    running.add(e.submit(r));   // the same request twice: the second may reuse the first's prefix
                }
                for (int i = 0; i < running.size(); i++) {
                    GoldenCase g = entry.getValue().get(i / 2);
                    int[] expected = expectedGreedy(g, quantizedActivations);
                    assertThat(running.get(i).await().tokens()).as("%s", g).containsExactly(expected);
                }
            }
        }
    }

    private static int[] expectedGreedy(GoldenCase g, boolean quantizedActivations) {
        if (!g.quantized()) {
            return g.greedyIds();
        }
        if (!quantizedActivations) {
            return g.deqGreedyIds();
        }
        int sure = 0;
        while (sure < g.greedyIds().length && (g.greedyMargins() == null || g.greedyMargins()[sure] > 0.05f)) {
            sure++;
        }
        return java.util.Arrays.copyOf(g.greedyIds(), sure);
    }

    @Test
    void aRequestGivesTheSameTokensAloneAndBesideOthers() throws Exception {
        List<GenerationRequest> requests = new ArrayList<>();
        String[] prompts = {"Once upon a time", "Lily had a red ball", "The sun was hot", "Tom and his dog", "One day",
                "Once upon a time, there was", "The cat sat", "Mom said"};
        for (int i = 0; i < prompts.length; i++) {
            SamplingParams p = new SamplingParams(0.9f, 40, 0.95f, 0.05f, 1.1f, 0f, 0f, 64, 1000 + i);
            requests.add(GenerationRequest.of(prompt(prompts[i]), 24 + 5 * i, p));
        }
        List<Completion> together = new ArrayList<>();
        try (Engine e = model.startEngine(4, 16)) {
            List<Generation> gs = new ArrayList<>();
            for (GenerationRequest r : requests) {
                gs.add(e.submit(r));
            }
            for (Generation g : gs) {
                together.add(g.await());
            }
            assertThat(e.metrics().decodeBatchSize.cumulativeCounts()[0])
                    .as("steps that decoded a single sequence").isLessThan(e.metrics().decodeBatchSize.count());
        }
        for (int i = 0; i < requests.size(); i++) {
            Completion a = alone(requests.get(i));
            assertThat(together.get(i).tokens()).as("request %d", i).containsExactly(a.tokens());
            assertThat(together.get(i).text()).isEqualTo(a.text());
        }
    }

    @Test
    void aSharedPrefixIsReusedAndChangesNothing() throws Exception {
        int[] first = prompt("Once upon a time, there was a little girl named Lily. She loved");
        int[] second = prompt("Once upon a time, there was a little girl named Lily. She loved to play outside");
        SamplingParams p = new SamplingParams(0.7f, 40, 0.95f, 0.05f, 1f, 0f, 0f, 64, 7);
        try (Engine e = model.startEngine(2, 4)) {
            e.submit(GenerationRequest.of(first, 8, p)).await();
            Completion withCache = e.submit(GenerationRequest.of(second, 30, p)).await();
            // At least the first prompt; more when what it generated is also the start of the second.
            assertThat(withCache.usage().cachedTokens()).isBetween(first.length, second.length - 1);
            assertThat(withCache.usage().promptTokens()).isEqualTo(second.length);
            assertThat(e.metrics().prefixCacheHits.sum()).isEqualTo(1);
            Completion fresh = alone(GenerationRequest.of(second, 30, p));
            assertThat(fresh.usage().cachedTokens()).isZero();
            assertThat(withCache.tokens()).containsExactly(fresh.tokens());
        }
    }

    @Test
    void stopStringsEndTheTextAcrossTokenBoundariesAndNeverLeak() throws Exception {
        GenerationRequest base = GenerationRequest.of(prompt("Once upon a time"), 40, SamplingParams.greedy());
        Completion full = alone(base);
        String text = full.text();
        // A stop string that begins inside one token and ends inside a later one.
        int at = text.indexOf(' ', text.length() / 2);
        String stop = text.substring(at - 2, at + 4);
        GenerationRequest stopped = new GenerationRequest(base.prompt(), 40, SamplingParams.greedy(), List.of("zzzz", stop),
                Map.of(), -1, false);
        try (Engine e = model.startEngine(1, 1)) {
            Generation g = e.submit(stopped);
            StringBuilder streamed = new StringBuilder();
            GenerationEvent ev;
            while ((ev = g.next()) instanceof GenerationEvent.Token t) {
                streamed.append(t.text());
                assertThat(streamed.toString()).doesNotContain(stop);
            }
            GenerationEvent.Done done = (GenerationEvent.Done) ev;
            streamed.append(done.text());
            assertThat(done.reason()).isEqualTo(FinishReason.STOP);
            assertThat(streamed.toString()).isEqualTo(text.substring(0, text.indexOf(stop)));
        }
    }

    @Test
    void limitsEndWithLength() throws Exception {
        Completion c = alone(new GenerationRequest(prompt("Once upon a time"), 5, SamplingParams.greedy(), List.of(), Map.of(), -1, true));
        assertThat(c.tokens()).hasSize(5);
        assertThat(c.finishReason()).isEqualTo(FinishReason.LENGTH);
        int[] p = prompt("Once upon a time");
        Completion toTheEnd = alone(new GenerationRequest(p, -1, SamplingParams.greedy(), List.of(), Map.of(), -1, true));
        assertThat(toTheEnd.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(p.length + toTheEnd.tokens().length).as("the last sampled token needs no position of its own")
                .isEqualTo(model.contextLength() + 1);
    }

    @Test
    void promptsThatLeaveNoRoomAreRefusedWithBothNumbers() {
        try (Engine e = model.startEngine(1, 1)) {
            int[] tooLong = new int[model.contextLength()];
            java.util.Arrays.fill(tooLong, 5);
            assertThatThrownBy(() -> e.submit(GenerationRequest.of(tooLong, 4, SamplingParams.greedy())))
                    .isInstanceOf(ContextOverflowException.class)
                    .hasMessageContaining(String.valueOf(model.contextLength() + 1))
                    .hasMessageContaining(String.valueOf(model.contextLength()));
            assertThatThrownBy(() -> e.submit(GenerationRequest.of(new int[] {1, 999_999}, 4, SamplingParams.greedy())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("999999");
        }
    }

    @Test
    void cancellingFreesTheSequenceAndTheQueueIsBounded() throws Exception {
        GenerationRequest endless = new GenerationRequest(prompt("Once"), -1, SamplingParams.defaults(1), List.of(), Map.of(), -1, true);
        try (Engine e = model.startEngine(1, 1)) {
            Generation a = e.submit(endless);
            Generation b = e.submit(endless);   // waits in the queue
            assertThatThrownBy(() -> e.submit(endless)).isInstanceOf(QueueFullException.class);
            assertThat(e.metrics().rejected.sum()).isEqualTo(1);
            assertThat(a.next()).isInstanceOf(GenerationEvent.Token.class);
            a.cancel();
            GenerationEvent last;
            do {
                last = a.poll(10, TimeUnit.SECONDS);
            } while (last instanceof GenerationEvent.Token);
            assertThat(last).isInstanceOf(GenerationEvent.Done.class);
            assertThat(((GenerationEvent.Done) last).reason()).isEqualTo(FinishReason.CANCELLED);
            // The freed slot goes to the waiting request at once.
            assertThat(b.poll(10, TimeUnit.SECONDS)).isInstanceOf(GenerationEvent.Token.class);
            b.cancel();
        }
    }

    @Test
    void logprobsAreTheModelsLogSoftmax() throws Exception {
        int[] p = prompt("Once upon a time");
        Completion c = alone(new GenerationRequest(p, 3, SamplingParams.greedy(), List.of(), Map.of(), 5, true));
        assertThat(c.logprobs()).hasSize(3);
        // Reference: the single-sequence path's logits for the prompt.
        float[] logits = model.newSession().append(p).clone();
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        TokenLogprobs first = c.logprobs().get(0);
        assertThat(first.topTokens()).hasSize(5);
        assertThat(first.topTokens()[0]).isEqualTo(c.tokens()[0]);
        assertThat((double) first.logprob()).isCloseTo(logits[c.tokens()[0]] - max - Math.log(sum), org.assertj.core.data.Offset.offset(1e-3));
        for (int i = 1; i < 5; i++) {
            assertThat(first.topLogprobs()[i]).isLessThanOrEqualTo(first.topLogprobs()[i - 1]);
        }
    }

    @Test
    void logitBiasBansAToken() throws Exception {
        int[] p = prompt("Once upon a time");
        Completion plain = alone(GenerationRequest.of(p, 1, SamplingParams.greedy()));
        int banned = plain.tokens()[0];
        Completion biased = alone(new GenerationRequest(p, 1, SamplingParams.greedy(), List.of(), Map.of(banned, -100f), -1, false));
        assertThat(biased.tokens()[0]).isNotEqualTo(banned);
    }
}
