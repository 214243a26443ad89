package dev.nabd.engine;

import java.util.concurrent.atomic.LongAdder;

/**
 * What an {@link Engine} has done, for monitoring: counters only grow, gauges are read live. The HTTP
 * layer turns these into Prometheus text.
 */
public final class EngineMetrics {
    /** Requests accepted. */
    public final LongAdder requests = new LongAdder();
    /** Requests finished, by reason, and failed. */
    public final LongAdder finishedStop = new LongAdder();
    public final LongAdder finishedLength = new LongAdder();
    public final LongAdder cancelled = new LongAdder();
    public final LongAdder failed = new LongAdder();
    /** Requests refused because the queue was full. */
    public final LongAdder rejected = new LongAdder();
    /** Prompt tokens of accepted requests, and how many of them came from the prefix cache. */
    public final LongAdder promptTokens = new LongAdder();
    public final LongAdder cachedPromptTokens = new LongAdder();
    /** Requests that reused at least one cached position. */
    public final LongAdder prefixCacheHits = new LongAdder();
    public final LongAdder generatedTokens = new LongAdder();
    /** Forward passes, and the tokens (rows) they evaluated. */
    public final LongAdder steps = new LongAdder();
    public final LongAdder stepRows = new LongAdder();
    /** Sequences that decoded in one forward pass. */
    public final Histogram decodeBatchSize = new Histogram(1, 2, 4, 8, 16, 32, 64);
    /** Seconds from submission to the first generated token. */
    public final Histogram timeToFirstToken = new Histogram(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    /** Seconds between consecutive tokens of one request. */
    public final Histogram interTokenLatency = new Histogram(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5);

    volatile int queueDepth;
    volatile int running;
    volatile long kvPositionsUsed;
    volatile long kvPositionsTotal;

    /** Requests waiting for a free sequence. */
    public int queueDepth() {
        return queueDepth;
    }

    /** Sequences being evaluated. */
    public int running() {
        return running;
    }

    /** Positions of the KV caches held by running sequences. */
    public long kvPositionsUsed() {
        return kvPositionsUsed;
    }

    /** Positions of all KV caches. */
    public long kvPositionsTotal() {
        return kvPositionsTotal;
    }
}
