package dev.nabd.engine;

import dev.nabd.LanguageModel;

import java.util.SplittableRandom;

/**
 * Measures a model the way llama-bench does, so the figures sit next to llama.cpp's:
 * <ul>
 *   <li>{@code ppN}: N random tokens evaluated as one prompt, in an empty context (logits for the last);</li>
 *   <li>{@code tgN}: N tokens evaluated one at a time from an empty context, each producing logits;</li>
 *   <li>{@code ppN @ dD}, {@code tgN @ dD}: the same after D positions of context, evaluated beforehand.</li>
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
     * @param test {@code ppN} or {@code tgN}, with {@code " @ dD"} after D positions of context
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

    /**
     * Prompt processing of {@code tokens} tokens after {@code depth} positions of context (llama-bench's
     * {@code -d}; 0: an empty context): the test is named {@code ppN @ dD} when the depth is not 0.
     */
    public Result prompt(int tokens, int repetitions, int depth) {
        Session session = atDepth(tokens, depth);
        int[] ids = randomTokens(tokens);
        session.append(ids);
        double[] speeds = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            session.rewind(depth);
            long start = System.nanoTime();
            session.append(ids);
            speeds[r] = tokens * 1e9 / (System.nanoTime() - start);
        }
        return new Result(name("pp", tokens, depth), speeds);
    }

    /**
     * Generation of {@code tokens} tokens, one forward pass each, after {@code depth} positions of context
     * (0: an empty context): the test is named {@code tgN @ dD} when the depth is not 0.
     */
    public Result generation(int tokens, int repetitions, int depth) {
        Session session = atDepth(tokens, depth);
        int[] ids = randomTokens(tokens);
        for (int id : ids) {
            session.append(id);
        }
        double[] speeds = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            session.rewind(depth);
            long start = System.nanoTime();
            for (int id : ids) {
                session.append(id);
            }
            speeds[r] = tokens * 1e9 / (System.nanoTime() - start);
        }
        return new Result(name("tg", tokens, depth), speeds);
    }

    /**
     * A new session holding {@code depth} random tokens, evaluated once as a prompt (unmeasured): each
     * repetition rewinds to it, so the context every test sees is the same.
     */
    private Session atDepth(int tokens, int depth) {
        if (tokens < 1 || depth < 0 || (long) tokens + depth > model.contextLength()) {
            throw new IllegalArgumentException("a test of " + tokens + " tokens" + (depth > 0 ? " at depth " + depth : "")
                    + " does not fit the context of " + model.contextLength());
        }
        Session session = model.newSession();
        if (depth > 0) {
            session.append(randomTokens(depth));
        }
        return session;
    }

    private static String name(String kind, int tokens, int depth) {
        return kind + tokens + (depth > 0 ? " @ d" + depth : "");
    }

    private int[] randomTokens(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = random.nextInt(model.config().vocabSize());
        }
        return ids;
    }
}
