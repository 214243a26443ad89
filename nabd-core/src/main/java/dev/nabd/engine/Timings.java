package dev.nabd.engine;

/**
 * Where the time of one generation went.
 *
 * @param promptTokens tokens evaluated for the prompt
 * @param promptNanos time spent on them
 * @param generatedTokens tokens generated
 * @param generationNanos time spent generating them (from the first sampled token on)
 */
public record Timings(int promptTokens, long promptNanos, int generatedTokens, long generationNanos) {

    public double promptTokensPerSecond() {
        return rate(promptTokens, promptNanos);
    }

    public double generationTokensPerSecond() {
        return rate(generatedTokens, generationNanos);
    }

    private static double rate(int tokens, long nanos) {
        return nanos <= 0 ? 0 : tokens * 1e9 / nanos;
    }
}
