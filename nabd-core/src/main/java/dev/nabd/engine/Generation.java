package dev.nabd.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A request submitted to an {@link Engine}: its events arrive here as the engine produces them. One
 * consumer reads them ({@link #next}, {@link #poll}) or waits for the whole result ({@link #await}).
 * The engine never blocks on a slow consumer: events queue up.
 */
public final class Generation {
    private final LinkedBlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
    private volatile boolean cancelled;

    Generation() {
    }

    void emit(GenerationEvent e) {
        events.add(e);
    }

    /** Stops the request: its sequence is freed before the engine's next step. Safe from any thread. */
    public void cancel() {
        cancelled = true;
    }

    /** Whether {@link #cancel} was called. */
    public boolean isCancelled() {
        return cancelled;
    }

    /** The next event, waiting for it. */
    public GenerationEvent next() throws InterruptedException {
        return events.take();
    }

    /** The next event, or null when none arrives within the timeout. */
    public GenerationEvent poll(long timeout, TimeUnit unit) throws InterruptedException {
        return events.poll(timeout, unit);
    }

    /**
     * Waits for the end and gathers everything.
     *
     * @throws GenerationException when the request failed
     */
    public Completion await() throws InterruptedException {
        StringBuilder text = new StringBuilder();
        int[] tokens = new int[16];
        int count = 0;
        List<TokenLogprobs> logprobs = new ArrayList<>();
        while (true) {
            switch (next()) {
                case GenerationEvent.Token t -> {
                    text.append(t.text());
                    if (count == tokens.length) {
                        tokens = java.util.Arrays.copyOf(tokens, count * 2);
                    }
                    tokens[count++] = t.token();
                    if (t.logprobs() != null) {
                        logprobs.add(t.logprobs());
                    }
                }
                case GenerationEvent.Done d -> {
                    text.append(d.text());
                    return new Completion(text.toString(), java.util.Arrays.copyOf(tokens, count), List.copyOf(logprobs),
                            d.reason(), d.usage(), d.timings());
                }
                case GenerationEvent.Failed f -> throw new GenerationException(f.message());
            }
        }
    }
}
