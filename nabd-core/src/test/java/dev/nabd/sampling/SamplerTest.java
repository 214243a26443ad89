package dev.nabd.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashSet;
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
}
