package dev.nabd.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplerTest {
    private static final int VOCAB = 1000;

    static LongStream seeds() {
        return LongStream.range(0, 30);
    }

    private static float[] randomLogits(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] l = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            l[i] = (float) (r.nextDouble() * 10 - 5);
        }
        return l;
    }

    private static SamplingParams params(float temp, int topK, float topP, float minP, long seed) {
        return new SamplingParams(temp, topK, topP, minP, 1f, 0f, 0f, 64, seed);
    }

    @Test
    void greedyPicksTheLargestAndTheLowestIdOnTies() {
        float[] l = new float[VOCAB];
        l[7] = 3;
        l[3] = 3;
        l[500] = 2.9f;
        assertThat(new Sampler(SamplingParams.greedy(), VOCAB).sample(l.clone(), 0)).isEqualTo(3);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void topKOfOneIsGreedyAndTheSameSeedRepeats(long seed) {
        float[] l = randomLogits(seed);
        int best = Sampler.argmax(l, 0, VOCAB);
        assertThat(new Sampler(params(1.5f, 1, 1f, 0f, seed), VOCAB).sample(l.clone(), 0)).isEqualTo(best);
        Sampler a = new Sampler(params(1f, 0, 1f, 0f, seed), VOCAB);
        Sampler b = new Sampler(params(1f, 0, 1f, 0f, seed), VOCAB);
        for (int i = 0; i < 20; i++) {
            assertThat(a.sample(l.clone(), 0)).isEqualTo(b.sample(l.clone(), 0));
        }
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void samplesStayInsideTheTopKSet(long seed) {
        float[] l = randomLogits(seed);
        Set<Integer> top5 = new HashSet<>();
        float[] copy = l.clone();
        for (int i = 0; i < 5; i++) {
            int best = Sampler.argmax(copy, 0, VOCAB);
            top5.add(best);
            copy[best] = Float.NEGATIVE_INFINITY;
        }
        Sampler s = new Sampler(params(2f, 5, 1f, 0f, seed), VOCAB);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            seen.add(s.sample(l.clone(), 0));
        }
        assertThat(top5).containsAll(seen);
        assertThat(seen.size()).as("temperature 2 over 5 candidates reaches more than one").isGreaterThan(1);
    }

    @Test
    void topPAndMinPCutTheTail() {
        float[] l = new float[VOCAB];
        java.util.Arrays.fill(l, -20f);
        l[10] = 5f;   // p ≈ 0.73 among the three
        l[11] = 4f;   // ≈ 0.27
        l[12] = -2f;  // ≈ 0.0007
        Sampler topP = new Sampler(params(1f, 0, 0.5f, 0f, 1), VOCAB);
        for (int i = 0; i < 100; i++) {
            assertThat(topP.sample(l.clone(), 0)).isEqualTo(10);
        }
        Sampler minP = new Sampler(params(1f, 0, 1f, 0.2f, 2), VOCAB);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            seen.add(minP.sample(l.clone(), 0));
        }
        assertThat(seen).containsExactlyInAnyOrder(10, 11);
    }

    @Test
    void penaltiesFollowLlamaCpp() {
        float[] l = new float[VOCAB];
        l[1] = 4f;
        l[2] = -1f;
        l[3] = 3.9f;
        Sampler s = new Sampler(new SamplingParams(0f, 0, 1f, 0f, 2f, 0.5f, 0.25f, 64, 0), VOCAB);
        s.accept(1);
        s.accept(1);
        s.accept(2);
        float[] work = l.clone();
        int picked = s.sample(work, 0);
        // token 1: 4 / 2 - (2 · 0.25 + 0.5) = 1; token 2: -1 · 2 - (0.25 + 0.5) = -2.75; token 3 untouched.
        assertThat(work[1]).isEqualTo(1f);
        assertThat(work[2]).isEqualTo(-2.75f);
        assertThat(picked).isEqualTo(3);
    }

    @Test
    void thePenaltyWindowForgetsOldTokens() {
        Sampler s = new Sampler(new SamplingParams(0f, 0, 1f, 0f, 10f, 0f, 0f, 2, 0), VOCAB);
        s.accept(5);
        s.accept(6);
        s.accept(7);   // pushes 5 out of a window of 2
        float[] l = new float[VOCAB];
        l[5] = 1f;
        l[6] = 1f;
        s.sample(l, 0);
        assertThat(l[5]).isEqualTo(1f);
        assertThat(l[6]).isEqualTo(0.1f);
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> params(1f, 0, 0f, 0f, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("top-p");
        assertThatThrownBy(() -> params(1f, -1, 1f, 0f, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> params(1f, 0, 1f, 1.5f, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static final int QWEN_VOCAB = 151_936;

    /**
     * Top-k, top-p, min-p and temperature as the sampler applied them before it selected instead of sorting: rank
     * every token by a full sort, then walk down. The sampler must pick the same tokens.
     */
    private static final class Reference {
        private final Integer[] ids;
        private final float[] probs;
        private final int n;

        Reference(float[] logits, SamplingParams p) {
            ids = new Integer[logits.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            // Most likely first, equal logits by id; Float.compare ranks -0 below +0, as the sampler's packing does.
            Arrays.sort(ids, (a, b) -> {
                int c = Float.compare(logits[b], logits[a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int k = p.topK() == 0 ? ids.length : Math.min(p.topK(), ids.length);
            float[] atOne = softmax(logits, k, 1f);
            int kept = k;
            if (p.topP() < 1f) {
                double cumulative = 0;
                for (int i = 0; i < k; i++) {
                    cumulative += atOne[i];
                    if (cumulative >= p.topP()) {
                        kept = i + 1;
                        break;
                    }
                }
            }
            if (p.minP() > 0f) {
                float threshold = atOne[0] * p.minP();
                int m = 1;
                while (m < kept && atOne[m] >= threshold) {
                    m++;
                }
                kept = m;
            }
            n = kept;
            probs = softmax(logits, n, p.temperature());
        }

        private float[] softmax(float[] logits, int count, float temperature) {
            float max = logits[ids[0]];
            float[] e = new float[count];
            double sum = 0;
            for (int i = 0; i < count; i++) {
                e[i] = (float) Math.exp((logits[ids[i]] - max) / temperature);
                sum += e[i];
            }
            for (int i = 0; i < count; i++) {
                e[i] = (float) (e[i] / sum);
            }
            return e;
        }

        int draw(double r) {
            double cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += probs[i];
                if (r < cumulative) {
                    return ids[i];
                }
            }
            return ids[n - 1];
        }
    }

    /** Logits of a kind, from a seed: language-model-like, flat, full of ties, or an edge case. */
    private static float[] logits(String kind, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] l = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            l[i] = switch (kind) {
                case "model", "oneHuge", "mostlyBanned", "nonFinite" -> (float) (2 * g);
                case "flat" -> (float) (r.nextDouble() * 10 - 5);
                // Few distinct values, +0 and -0 among them: the order of equal logits decides the token.
                case "ties" -> r.nextInt(3) == 0 ? (r.nextBoolean() ? -0f : 0f) : (float) (r.nextInt(7) - 3);
                case "equal", "oneAllowed" -> 1.5f;
                default -> throw new IllegalArgumentException(kind);
            };
        }
        switch (kind) {
            case "model" -> {
                for (int i = 0; i < Math.max(1, vocab / 5000); i++) {
                    l[r.nextInt(vocab)] = (float) (6 + r.nextDouble() * 12);
                }
            }
            case "oneHuge" -> l[r.nextInt(vocab)] = 1e4f;
            // Whatever a full sort made of these (NaN probabilities), the sampler still makes.
            case "nonFinite" -> l[r.nextInt(vocab)] = r.nextBoolean() ? Float.NaN : Float.POSITIVE_INFINITY;
            // A logit bias of -Infinity on most of the vocabulary (a grammar, a ban list).
            case "mostlyBanned" -> {
                for (int i = 0; i < vocab; i++) {
                    if (r.nextInt(10) != 0) {
                        l[i] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
            case "oneAllowed" -> {
                int allowed = r.nextInt(vocab);
                for (int i = 0; i < vocab; i++) {
                    if (i != allowed) {
                        l[i] = Float.NEGATIVE_INFINITY;
                    }
                }
            }
            default -> { }
        }
        return l;
    }

    /** Draws {@code draws} tokens from the same logits with the sampler and the reference, seeded alike. */
    private static void assertSameTokens(float[] logits, SamplingParams params, int draws) {
        Sampler sampler = new Sampler(params, logits.length);
        Reference reference = new Reference(logits, params);
        SplittableRandom random = new SplittableRandom(params.seed());
        for (int i = 0; i < draws; i++) {
            int expected = reference.draw(random.nextDouble());
            assertThat(sampler.sample(logits.clone(), 0)).as("draw %d", i).isEqualTo(expected);
        }
    }

    static List<Arguments> qwenSizedCases() {
        List<Arguments> cases = new ArrayList<>();
        float[][] sampling = {{1f, 1f, 0f}, {0.8f, 0.95f, 0f}, {1f, 0.9f, 0f}, {0.7f, 0.5f, 0.05f}, {1f, 1f, 0.05f}, {1.5f, 1f, 0f}};
        long seed = 100;
        for (String kind : List.of("model", "flat", "ties")) {
            for (float[] s : sampling) {
                cases.add(Arguments.of(kind, s[0], s[1], s[2], seed++));
            }
        }
        for (String kind : List.of("equal", "oneHuge", "mostlyBanned", "oneAllowed")) {
            cases.add(Arguments.of(kind, 1f, 1f, 0f, seed++));
            cases.add(Arguments.of(kind, 0.8f, 0.95f, 0f, seed++));
            cases.add(Arguments.of(kind, 1f, 0.5f, 0.1f, seed++));
        }
        cases.add(Arguments.of("model", 1f, 1e-6f, 0f, seed++));
        cases.add(Arguments.of("flat", 1f, 1e-6f, 0.5f, seed++));
        cases.add(Arguments.of("model", 1e-3f, 1f, 0f, seed++));
        cases.add(Arguments.of("model", 10f, 1f, 0f, seed++));
        cases.add(Arguments.of("flat", 1f, 0.999f, 0f, seed++));
        return cases;
    }

    @ParameterizedTest(name = "{0} temperature={1} top-p={2} min-p={3}")
    @MethodSource("qwenSizedCases")
    void picksTheTokensOfAFullSortOverQwensVocabulary(String kind, float temperature, float topP, float minP, long seed) {
        assertSameTokens(logits(kind, QWEN_VOCAB, seed), params(temperature, 0, topP, minP, seed), 40);
    }

    @Test
    void picksTheTokensOfAFullSortOverSmallVocabularies() {
        String[] kinds = {"model", "flat", "ties", "equal", "oneHuge", "mostlyBanned", "oneAllowed", "nonFinite"};
        int[] vocabs = {1, 2, 3, 31, 33, 64, 257, 1000, 4096};
        float[] topPs = {1f, 1f, 0.99f, 0.9f, 0.5f, 0.1f, 1e-6f};
        float[] minPs = {0f, 0f, 0f, 0.01f, 0.2f, 1f};
        SplittableRandom r = new SplittableRandom(2024);
        for (int c = 0; c < 600; c++) {
            String kind = kinds[r.nextInt(kinds.length)];
            int vocab = vocabs[r.nextInt(vocabs.length)];
            float temperature = (float) (0.05 + r.nextDouble() * 2);
            // A top-k of the vocabulary or more is no top-k.
            int topK = r.nextInt(8) == 0 ? vocab + r.nextInt(3) : 0;
            SamplingParams params = params(temperature, topK, topPs[r.nextInt(topPs.length)], minPs[r.nextInt(minPs.length)], c);
            assertSameTokens(logits(kind, vocab, r.nextLong()), params, 30);
        }
    }

    @Test
    void samplingDoesNotAllocate() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] l = logits("model", QWEN_VOCAB, 5);
        for (SamplingParams params : List.of(params(1f, 0, 1f, 0f, 1), params(0.8f, 0, 0.95f, 0f, 2),
                params(1f, 0, 1f, 0.05f, 3), params(0.8f, 40, 0.95f, 0.05f, 4))) {
            Sampler s = new Sampler(params, QWEN_VOCAB);
            for (int i = 0; i < 50; i++) {
                s.sample(l, 0);
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50; i++) {
                s.sample(l, 0);
            }
            assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated by 50 samples, %s", params).isLessThan(800);
        }
    }
}
