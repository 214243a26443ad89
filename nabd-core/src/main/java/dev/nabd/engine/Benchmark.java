package dev.nabd.engine;

import dev.nabd.LanguageModel;

import java.util.SplittableRandom;

/**
 * Measures a model the way llama-bench does, so the figures sit next to llama.cpp's:
 * <ul>
 *   <li>{@code ppN}: N random tokens evaluated as one prompt, in an empty context (logits for the last);</li>
 *   <li>{@code tgN}: N tokens evaluated one at a time from an empty context, each producing logits.</li>
 * </ul>
 * Each test runs once unmeasured (so the JIT has compiled the hot paths), then {@code repetitions}
 * times; the result is the mean and standard deviation of tokens per second.
 */
public final class Benchmark {
    private final LanguageModel model;
    private final SplittableRandom random = new SplittableRandom(1234);

    public Benchmark(LanguageModel model) {
        this.model = model;
    }

    /**
     * One result row.
     *
     * @param test {@code ppN} or {@code tgN}
     * @param tokensPerSecond each repetition's speed
     */
    public record Result(String test, double[] tokensPerSecond) {

        public double mean() {
            double s = 0;
            for (double v : tokensPerSecond) {
                s += v;
            }
            return s / tokensPerSecond.length;
        }

        /** Sample standard deviation (0 for one repetition). */
        public double stddev() {
            if (tokensPerSecond.length < 2) {
                return 0;
            }
            double m = mean();
            double s = 0;
            for (double v : tokensPerSecond) {
                s += (v - m) * (v - m);
            }
            return Math.sqrt(s / (tokensPerSecond.length - 1));
        }
    }

    /** Prompt processing of {@code tokens} tokens. */
    public Result prompt(int tokens, int repetitions) {
        checkFits(tokens);
        int[] ids = randomTokens(tokens);
        Session session = model.newSession();
        session.append(ids);
        double[] speeds = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            session.reset();
            long start = System.nanoTime();
            session.append(ids);
            speeds[r] = tokens * 1e9 / (System.nanoTime() - start);
        }
        return new Result("pp" + tokens, speeds);
    }

    /** Generation of {@code tokens} tokens, one forward pass each. */
    public Result generation(int tokens, int repetitions) {
        checkFits(tokens);
        int[] ids = randomTokens(tokens);
        Session session = model.newSession();
        for (int id : ids) {
            session.append(id);
        }
        double[] speeds = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            session.reset();
            long start = System.nanoTime();
            for (int id : ids) {
                session.append(id);
            }
            speeds[r] = tokens * 1e9 / (System.nanoTime() - start);
        }
        return new Result("tg" + tokens, speeds);
    }

    private void checkFits(int tokens) {
        if (tokens < 1 || tokens > model.contextLength()) {
            throw new IllegalArgumentException("a test of " + tokens + " tokens does not fit the context of "
                    + model.contextLength());
        }
    }

    private int[] randomTokens(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = random.nextInt(model.config().vocabSize());
        }
        return ids;
    }
}
