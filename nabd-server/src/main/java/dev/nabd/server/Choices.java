package dev.nabd.server;

import dev.nabd.engine.Completion;
import dev.nabd.engine.Generation;
import dev.nabd.engine.GenerationEvent;
import dev.nabd.engine.QueueFullException;
import dev.nabd.engine.Usage;
import dev.nabd.model.ContextOverflowException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The generations of one API request (every prompt × {@code n} choices, in choice-index order) and a
 * merged view of their events.
 */
final class Choices {
    /** One event of choice {@code index}. */
    record Next(int index, GenerationEvent event) {
    }

    final List<Generation> generations;
    private final int perPrompt;
    private final Usage[] usages;   // per choice, once it is done
    private final boolean[] done;
    private int remaining;
    private int cursor;

    private Choices(List<Generation> generations, int perPrompt) {
        this.generations = generations;
        this.perPrompt = perPrompt;
        this.usages = new Usage[generations.size()];
        this.done = new boolean[generations.size()];
        this.remaining = generations.size();
    }

    /**
     * Submits {@code n} choices for each prompt; all or none.
     *
     * @throws ApiException 400 for a prompt too long for the context, 429 when the queue is full
     */
    static Choices submit(ServedModel m, List<int[]> prompts, GenerationParams p) {
        List<Generation> gens = new ArrayList<>();
        try {
            for (int[] prompt : prompts) {
                for (int i = 0; i < p.n(); i++) {
                    gens.add(m.engine().submit(p.request(prompt, i)));
                }
            }
        } catch (RuntimeException e) {
            gens.forEach(Generation::cancel);
            throw switch (e) {
                case ContextOverflowException c -> ApiException.invalid("This model's maximum context length is "
                        + c.contextLength() + " tokens, but the prompt has " + (c.needed() - 1)
                        + " tokens (and at least one more is needed to generate). Shorten the prompt.", "messages", "context_length_exceeded");
                case QueueFullException q -> ApiException.busy(q.getMessage() + "; try again shortly");
                case IllegalArgumentException a -> ApiException.invalid(a.getMessage(), null);
                default -> e;
            };
        }
        return new Choices(gens, p.n());
    }

    int size() {
        return generations.size();
    }

    boolean finished() {
        return remaining == 0;
    }

    /** The next event of any unfinished choice, or null when none comes within the timeout. */
    Next next(long timeoutMillis) throws InterruptedException {
        int n = generations.size();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (remaining > 0) {
            for (int k = 0; k < n; k++) {
                int i = (cursor + k) % n;
                if (done[i]) {
                    continue;
                }
                // With one choice, wait on it; with several, look at each in turn without starving any.
                long wait = n == 1 ? Math.max(0, deadline - System.nanoTime()) : 0;
                GenerationEvent e = generations.get(i).poll(wait, TimeUnit.NANOSECONDS);
                if (e != null) {
                    cursor = (i + 1) % n;
                    if (e instanceof GenerationEvent.Done d) {
                        usages[i] = d.usage();
                    }
                    if (!(e instanceof GenerationEvent.Token)) {
                        done[i] = true;
                        remaining--;
                    }
                    return new Next(i, e);
                }
            }
            if (System.nanoTime() >= deadline) {
                return null;
            }
            if (n > 1) {
                Thread.sleep(1);
            }
        }
        return null;
    }

    void cancelAll() {
        generations.forEach(Generation::cancel);
    }

    /** Waits for choice {@code i} to finish. */
    Completion await(int i) throws InterruptedException {
        try {
            Completion c = generations.get(i).await();
            usages[i] = c.usage();
            return c;
        } catch (RuntimeException e) {
            cancelAll();
            throw e;
        }
    }

    /** The request's token counts so far: each prompt (and its cache hits) once, every choice's completion. */
    Usage usage() {
        int prompt = 0;
        int completion = 0;
        int cached = 0;
        for (int i = 0; i < usages.length; i++) {
            if (usages[i] == null) {
                continue;
            }
            completion += usages[i].completionTokens();
            if (i % perPrompt == 0) {
                prompt += usages[i].promptTokens();
                cached += usages[i].cachedTokens();
            }
        }
        return new Usage(prompt, completion, cached);
    }
}
