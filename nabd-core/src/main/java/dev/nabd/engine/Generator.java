package dev.nabd.engine;

import dev.nabd.model.ContextOverflowException;
import dev.nabd.sampling.Sampler;
import dev.nabd.sampling.SamplingParams;
import dev.nabd.tokenizer.StreamingDecoder;
import dev.nabd.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Prompt in, tokens out, for one session: evaluates the prompt, then samples and evaluates one token at a
 * time until an end-of-generation token, the token limit, or the end of the context. Text is streamed
 * whole characters at a time.
 */
public final class Generator {
    private final Tokenizer tokenizer;

    public Generator(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * The outcome of one generation.
     *
     * @param tokens the generated ids (without the end-of-generation token)
     * @param finishReason why it stopped
     * @param timings prompt and generation speed
     */
    public record Result(int[] tokens, FinishReason finishReason, Timings timings) {
    }

    /**
     * Runs {@code prompt} in {@code session} (appending to what it holds) and generates up to
     * {@code maxTokens} tokens (negative: until the context is full).
     *
     * @param onText receives the text as it is produced
     * @throws ContextOverflowException when the prompt itself does not fit the context
     */
    public Result generate(Session session, int[] prompt, int maxTokens, SamplingParams params, Consumer<String> onText) {
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty");
        }
        if (prompt.length > session.remaining()) {
            throw new ContextOverflowException(session.position() + prompt.length, session.contextLength());
        }
        Sampler sampler = new Sampler(params, session.vocabSize());
        for (int t : prompt) {
            sampler.accept(t);
        }
        long start = System.nanoTime();
        float[] logits = session.append(prompt);
        long promptNanos = System.nanoTime() - start;

        StreamingDecoder decoder = new StreamingDecoder(tokenizer, false);
        int limit = maxTokens < 0 ? Integer.MAX_VALUE : maxTokens;
        int[] out = new int[Math.min(limit, Math.max(16, session.remaining()))];
        int count = 0;
        FinishReason reason = FinishReason.LENGTH;
        long genStart = System.nanoTime();
        // Every generated token gets a position of its own: generation stops when the context is full,
        // so prompt + generated never exceeds it.
        while (count < limit && session.remaining() > 0) {
            int token = sampler.sample(logits, 0);
            if (tokenizer.isEndOfGeneration(token)) {
                reason = FinishReason.STOP;
                break;
            }
            if (count == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[count++] = token;
            sampler.accept(token);
            String text = decoder.accept(token);
            if (!text.isEmpty()) {
                onText.accept(text);
            }
            if (count < limit) {
                logits = session.append(token);
            }
        }
        String rest = decoder.flush();
        if (!rest.isEmpty()) {
            onText.accept(rest);
        }
        long genNanos = System.nanoTime() - genStart;
        return new Result(Arrays.copyOf(out, count), reason, new Timings(prompt.length, promptNanos, count, genNanos));
    }
}
