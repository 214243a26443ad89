package dev.nabd.bench;

import dev.nabd.sampling.Sampler;
import dev.nabd.sampling.SamplingParams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Choosing one token from Qwen-sized logits (151,936 ids), without penalties. The logits imitate a language
 * model's: a Gaussian bulk (σ 2) and 30 tokens above it, 8 to 18 ({@code light}: the best token has 15 to 45 %,
 * the tail below those 30 under 1 %, a top-p 0.95 nucleus about 10 tokens) or 6 to 14 ({@code heavy}: the
 * tail holds about 20 %, a nucleus thousands of tokens). Eight such vectors take turns.
 * <pre>
 *   java --add-modules jdk.incubator.vector -jar nabd-bench/target/benchmarks.jar SamplerBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class SamplerBenchmark {
    private static final int VOCAB = 151_936;

    /** temperature/top-k/top-p: the OpenAI default (1/0/1), two nuclei, and top-k 40. */
    @Param({"1/0/1", "1/0/0.9", "0.8/0/0.95", "1/40/1"})
    public String sampling;

    @Param({"light", "heavy"})
    public String tail;

    private final float[][] logits = new float[8][VOCAB];
    private Sampler sampler;
    private int next;

    @Setup
    public void setUp() {
        String[] s = sampling.split("/");
        sampler = new Sampler(new SamplingParams(Float.parseFloat(s[0]), Integer.parseInt(s[1]), Float.parseFloat(s[2]),
                0f, 1f, 0f, 0f, 64, 42), VOCAB);
        SplittableRandom r = new SplittableRandom(7);
        for (float[] l : logits) {
            for (int i = 0; i < VOCAB; i++) {
                l[i] = (float) gaussian(r) * 2;
            }
            for (int i = 0; i < 30; i++) {
                l[r.nextInt(VOCAB)] = (float) (tail.equals("light") ? 8 + r.nextDouble() * 10 : 6 + r.nextDouble() * 8);
            }
        }
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** No penalties are set, so the sampler leaves the logits as they are and they can be reused. */
    @Benchmark
    public int sample() {
        next = (next + 1) & 7;
        return sampler.sample(logits[next], 0);
    }
}
