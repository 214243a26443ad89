package dev.nabd.engine;

import dev.nabd.model.ContextOverflowException;
import dev.nabd.model.InferenceState;
import dev.nabd.model.Transformer;
import dev.nabd.tensor.GgmlType;

/**
 * One sequence being evaluated: its KV cache, how many positions it has filled, and the forward passes
 * that extend it. Prompts longer than one batch are processed in consecutive batches.
 */
public final class Session {
    private final Transformer model;
    private final InferenceState state;
    private final int vocab;
    private int position;

    /**
     * @param contextLength positions the sequence may fill
     * @param maxBatch most tokens per forward pass
     * @param kvType how the KV cache stores keys and values
     */
    public Session(Transformer model, int contextLength, int maxBatch, GgmlType kvType) {
        this.model = model;
        this.state = model.newState(contextLength, maxBatch, 1, kvType);
        this.vocab = model.config().vocabSize();
    }

    /** Positions filled so far. */
    public int position() {
        return position;
    }

    public int contextLength() {
        return state.contextLength();
    }

    /** Positions still free. */
    public int remaining() {
        return state.contextLength() - position;
    }

    /** Forgets every position (the cache is overwritten as the sequence grows again). */
    public void reset() {
        rewind(0);
    }

    /**
     * Forgets the positions from {@code position} on, keeping the ones before it: the next append continues
     * from there, overwriting the cache. A prefix evaluated once can so serve several continuations.
     *
     * @throws IllegalArgumentException when {@code position} is negative or past the positions filled
     */
    public void rewind(int position) {
        if (position < 0 || position > this.position) {
            throw new IllegalArgumentException("cannot rewind to position " + position + " of a sequence of " + this.position);
        }
        this.position = position;
    }

    /**
     * Appends {@code tokens} and returns the logits after the last one (valid until the next call).
     *
     * @throws ContextOverflowException when they do not fit; nothing is appended then
     */
    public float[] append(int[] tokens) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException("nothing to append");
        }
        if (position + tokens.length > state.contextLength()) {
            throw new ContextOverflowException(position + tokens.length, state.contextLength());
        }
        for (int off = 0; off < tokens.length; ) {
            int n = Math.min(state.maxBatch(), tokens.length - off);
            boolean lastBatch = off + n == tokens.length;
            model.forward(state, tokens, off, n, position, lastBatch ? 1 : 0);
            position += n;
            off += n;
        }
        return state.logits();
    }

    /** Appends one token: the decode step. */
    public float[] append(int token) {
        if (position + 1 > state.contextLength()) {
            throw new ContextOverflowException(position + 1, state.contextLength());
        }
        single[0] = token;
        model.forward(state, single, 0, 1, position, 1);
        position++;
        return state.logits();
    }

    private final int[] single = new int[1];

    /** Vocabulary size: the length of a logits row. */
    public int vocabSize() {
        return vocab;
    }
}
