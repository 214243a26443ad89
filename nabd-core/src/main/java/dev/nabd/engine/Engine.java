package dev.nabd.engine;

import dev.nabd.model.ContextOverflowException;
import dev.nabd.model.InferenceState;
import dev.nabd.model.KvCache;
import dev.nabd.model.Transformer;
import dev.nabd.sampling.Sampler;
import dev.nabd.tensor.GgmlType;
import dev.nabd.tokenizer.StreamingDecoder;
import dev.nabd.tokenizer.Tokenizer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs many requests on one model at once, with continuous batching.
 *
 * <p>One scheduler thread loops over steps. Each step is one forward pass whose rows are: one token for
 * every sequence that is generating, then chunks of prompts still being evaluated, up to
 * {@code maxBatch} rows. A new request takes a free slot as soon as there is one and its prompt is
 * evaluated in the same passes that decode the others; finished and cancelled sequences leave at once.
 * Requests beyond {@code parallel} wait in a FIFO queue of at most {@code maxQueue}.
 *
 * <p>Every row of a pass is computed as if it were alone, and each sequence samples with its own seeded
 * sampler, so a request's output does not depend on what runs beside it, nor on whether its prompt's
 * prefix came from the cache.
 *
 * <p>Thread-safe: {@link #submit} may be called from any thread.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Engine.class.getName());

    private final Transformer model;
    private final Tokenizer tokenizer;
    private final EngineOptions options;
    private final int vocab;
    private final Slot[] slots;
    private final InferenceState pass;
    private final EngineMetrics metrics = new EngineMetrics();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();   // guarded by lock
    private boolean closed;                                           // guarded by lock

    // Owned by the scheduler thread.
    private final List<Sequence> running = new ArrayList<>();
    private final int[] rowTokens;
    private final KvCache[] rowCaches;
    private final int[] rowPositions;
    private final int[] logitRows;
    private final float[] rawLogits;
    private long clock;
    private final Thread scheduler;

    /**
     * Starts an engine and its scheduler thread.
     *
     * @param kvType how each slot's KV cache stores keys and values
     */
    public Engine(Transformer model, Tokenizer tokenizer, EngineOptions options, GgmlType kvType) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.options = options;
        this.vocab = model.config().vocabSize();
        this.slots = new Slot[options.parallel()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot(new KvCache(model.config(), options.contextLength(), kvType));
        }
        this.pass = model.newBatchState(options.contextLength(), options.maxBatch(), options.parallel());
        this.rowTokens = new int[options.maxBatch()];
        this.rowCaches = new KvCache[options.maxBatch()];
        this.rowPositions = new int[options.maxBatch()];
        this.logitRows = new int[options.parallel()];
        this.rawLogits = new float[vocab];
        metrics.kvPositionsTotal = (long) options.parallel() * options.contextLength();
        this.scheduler = Thread.ofPlatform().name("nabd-scheduler").daemon().start(this::loop);
    }

    public EngineOptions options() {
        return options;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public EngineMetrics metrics() {
        return metrics;
    }

    /**
     * Queues a request.
     *
     * @throws ContextOverflowException when the prompt leaves no room in the context to generate
     * @throws QueueFullException when {@code maxQueue} requests are already waiting
     * @throws IllegalArgumentException when a prompt token is not in the vocabulary
     * @throws IllegalStateException when the engine is closed
     */
    public Generation submit(GenerationRequest request) {
        int[] prompt = request.prompt();
        if (prompt.length >= options.contextLength()) {
            throw new ContextOverflowException(prompt.length + 1, options.contextLength());
        }
        for (int t : prompt) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("token id " + t + " is outside the vocabulary (0 to " + (vocab - 1) + ")");
            }
        }
        for (Integer t : request.logitBias().keySet()) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("logit bias for token id " + t + ", outside the vocabulary (0 to " + (vocab - 1) + ")");
            }
        }
        Generation handle = new Generation();
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the engine is closed");
            }
            int busy = 0;
            for (Slot s : slots) {
                busy += s.busy ? 1 : 0;
            }
            // The queue holds what cannot start at once: free slots absorb waiting requests first.
            if (waiting.size() - (slots.length - busy) >= options.maxQueue()) {
                metrics.rejected.increment();
                throw new QueueFullException(waiting.size());
            }
            waiting.add(new Sequence(request, handle, System.nanoTime()));
            metrics.requests.increment();
            metrics.promptTokens.add(prompt.length);
            metrics.queueDepth = waiting.size();
            work.signal();
        } finally {
            lock.unlock();
        }
        return handle;
    }

    /** Stops the scheduler; running and waiting requests end as cancelled. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signal();
        } finally {
            lock.unlock();
        }
        try {
            scheduler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        while (true) {
            lock.lock();
            try {
                while (!closed && waiting.isEmpty() && running.isEmpty()) {
                    work.awaitUninterruptibly();
                }
                if (closed) {
                    break;
                }
                admit();
            } finally {
                lock.unlock();
            }
            dropCancelled();
            if (!running.isEmpty()) {
                step();
            }
        }
        for (Sequence s : running) {
            finish(s, FinishReason.CANCELLED);
        }
        running.clear();
        lock.lock();
        try {
            for (Sequence s : waiting) {
                s.handle.emit(new GenerationEvent.Done(FinishReason.CANCELLED, "", new Usage(s.request.prompt().length, 0, 0),
                        new Timings(0, 0, 0, 0)));
            }
            waiting.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Moves waiting requests into free slots, each to the free slot that already holds most of its prompt. */
    private void admit() {
        while (!waiting.isEmpty()) {
            Sequence s = waiting.peek();
            if (s.handle.isCancelled()) {
                waiting.poll();
                metrics.cancelled.increment();
                s.handle.emit(new GenerationEvent.Done(FinishReason.CANCELLED, "", new Usage(s.request.prompt().length, 0, 0),
                        new Timings(0, 0, 0, 0)));
                continue;
            }
            Slot best = null;
            int bestPrefix = -1;
            for (Slot slot : slots) {
                if (slot.busy) {
                    continue;
                }
                int prefix = slot.commonPrefix(s.request.prompt());
                if (prefix > bestPrefix || (prefix == bestPrefix && slot.lastUsed < best.lastUsed)) {
                    best = slot;
                    bestPrefix = prefix;
                }
            }
            if (best == null) {
                break;
            }
            waiting.poll();
            start(s, best, bestPrefix);
        }
        metrics.queueDepth = waiting.size();
    }

    private void start(Sequence s, Slot slot, int prefix) {
        int[] prompt = s.request.prompt();
        // The last prompt token is always evaluated: its logits give the first generated token.
        int reused = Math.min(prefix, prompt.length - 1);
        slot.busy = true;
        slot.lastUsed = ++clock;
        slot.length = reused;
        s.slot = slot;
        s.promptDone = reused;
        s.cachedTokens = reused;
        s.sampler = new Sampler(s.request.sampling(), vocab);
        for (int t : prompt) {
            s.sampler.accept(t);
        }
        s.decoder = new StreamingDecoder(tokenizer, false);
        s.stops = new StopMatcher(s.request.stop());
        s.promptStartNanos = System.nanoTime();
        if (reused > 0) {
            metrics.prefixCacheHits.increment();
            metrics.cachedPromptTokens.add(reused);
        }
        running.add(s);
        metrics.running = running.size();
    }

    private void dropCancelled() {
        for (Iterator<Sequence> it = running.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.handle.isCancelled()) {
                it.remove();
                finish(s, FinishReason.CANCELLED);
            }
        }
        metrics.running = running.size();
    }

    /** One forward pass over every running sequence, then one sampled token for each that needs one. */
    private void step() {
        int n = 0;
        int logits = 0;
        int decoding = 0;
        for (Sequence s : running) {
            s.logitIndex = -1;
            if (!s.inPrompt()) {
                n = addRow(n, s, s.nextToken);
                s.logitIndex = logits;
                logitRows[logits++] = n - 1;
                decoding++;
            }
        }
        for (Sequence s : running) {
            if (!s.inPrompt() || n == options.maxBatch()) {
                continue;
            }
            int[] prompt = s.request.prompt();
            int take = Math.min(options.maxBatch() - n, prompt.length - s.promptDone);
            for (int i = 0; i < take; i++) {
                n = addRow(n, s, prompt[s.promptDone]);
                s.promptDone++;
            }
            if (!s.inPrompt()) {
                s.logitIndex = logits;
                logitRows[logits++] = n - 1;
            }
        }
        try {
            model.forwardRows(pass, rowTokens, rowCaches, rowPositions, n, logitRows, logits);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "forward pass failed; its requests end with an error", e);
            for (Sequence s : running) {
                s.slot.length = 0;   // its cache may be half written
                release(s);
                metrics.failed.increment();
                s.handle.emit(new GenerationEvent.Failed("internal error: " + e));
            }
            running.clear();
            metrics.running = 0;
            return;
        }
        metrics.steps.increment();
        metrics.stepRows.add(n);
        if (decoding > 0) {
            metrics.decodeBatchSize.observe(decoding);
        }
        long used = 0;
        for (Iterator<Sequence> it = running.iterator(); it.hasNext(); ) {
            Sequence s = it.next();
            if (s.logitIndex >= 0 && sample(s, pass.logits(), s.logitIndex * vocab)) {
                it.remove();
            } else {
                used += s.slot.length;
            }
        }
        metrics.running = running.size();
        metrics.kvPositionsUsed = used;
    }

    /** Appends one row (token {@code token} at the sequence's next position) to the pass. */
    private int addRow(int n, Sequence s, int token) {
        int position = s.position();
        rowTokens[n] = token;
        rowCaches[n] = s.slot.cache;
        rowPositions[n] = position;
        s.slot.tokens[position] = token;
        s.slot.length = position + 1;
        return n + 1;
    }

    /** Samples the sequence's next token from its logits row; returns whether the sequence is finished. */
    private boolean sample(Sequence s, float[] logits, int off) {
        long now = System.nanoTime();
        GenerationRequest r = s.request;
        if (r.topLogprobs() >= 0) {
            // The sampler changes the row in place (penalties, biases): keep the model's own logits.
            System.arraycopy(logits, off, rawLogits, 0, vocab);
        }
        for (Map.Entry<Integer, Float> bias : r.logitBias().entrySet()) {
            logits[off + bias.getKey()] += bias.getValue();
        }
        int token = s.sampler.sample(logits, off);
        TokenLogprobs logprobs = r.topLogprobs() >= 0 ? Logprobs.of(rawLogits, vocab, token, r.topLogprobs()) : null;
        if (s.generated == 0) {
            s.firstTokenNanos = now;
            metrics.timeToFirstToken.observe((now - s.submittedNanos) / 1e9);
        } else {
            metrics.interTokenLatency.observe((now - s.lastTokenNanos) / 1e9);
        }
        s.lastTokenNanos = now;
        if (tokenizer.isEndOfGeneration(token) && !r.ignoreEos()) {
            finish(s, FinishReason.STOP);
            return true;
        }
        s.generated++;
        metrics.generatedTokens.increment();
        s.sampler.accept(token);
        s.nextToken = token;
        String text = s.stops.accept(s.decoder.accept(token));
        s.handle.emit(new GenerationEvent.Token(token, text, logprobs));
        if (s.stops.matched()) {
            finish(s, FinishReason.STOP);
            return true;
        }
        if (s.generated == r.maxTokens() || s.position() >= options.contextLength()) {
            finish(s, FinishReason.LENGTH);
            return true;
        }
        return false;
    }

    /** Ends a sequence: releases its slot (keeping its tokens for the prefix cache) and reports. */
    private void finish(Sequence s, FinishReason reason) {
        release(s);
        String rest = "";
        if (!s.stops.matched()) {
            rest = s.stops.accept(s.decoder.flush()) + s.stops.flush();
        }
        switch (reason) {
            case STOP -> metrics.finishedStop.increment();
            case LENGTH -> metrics.finishedLength.increment();
            case CANCELLED -> metrics.cancelled.increment();
        }
        long end = System.nanoTime();
        int promptTokens = s.request.prompt().length;
        long promptNanos = (s.firstTokenNanos == 0 ? end : s.firstTokenNanos) - s.promptStartNanos;
        long genNanos = s.firstTokenNanos == 0 ? 0 : end - s.firstTokenNanos;
        s.handle.emit(new GenerationEvent.Done(reason, rest, new Usage(promptTokens, s.generated, s.cachedTokens),
                new Timings(promptTokens - s.cachedTokens, promptNanos, s.generated, genNanos)));
    }

    private void release(Sequence s) {
        lock.lock();
        try {
            s.slot.busy = false;
            if (!waiting.isEmpty()) {
                work.signal();
            }
        } finally {
            lock.unlock();
        }
    }
}
