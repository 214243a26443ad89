package dev.nabd.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns generated tokens into text one token at a time. A token may end in the middle of a UTF-8
 * character (byte tokens, or BPE tokens that split a Chinese character or an emoji); those bytes are held
 * back until the character's remaining bytes arrive, so the text returned never contains a split
 * character, nor a U+FFFD for a character that is merely incomplete. Bytes that can never become a
 * valid character are emitted at once as U+FFFD. Call {@link #flush()} at the end of the stream.
 *
 * <p>Each token costs no allocation beyond the returned string (none when it completes no text). Not
 * thread-safe: use one decoder per sequence.
 */
public final class StreamingDecoder {
    private final Tokenizer tokenizer;
    private final boolean renderSpecial;
    /** Held-back bytes at {@code [0, pending)}; grows only for unusually long tokens. */
    private byte[] buffer = new byte[64];
    private int pending;

    /**
     * @param tokenizer the tokenizer that produced the ids
     * @param renderSpecial whether control tokens appear as their text (see {@link Tokenizer#tokenBytes})
     */
    public StreamingDecoder(Tokenizer tokenizer, boolean renderSpecial) {
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.renderSpecial = renderSpecial;
    }

    /** Adds token {@code id}; returns the text it completes, possibly empty. */
    public String accept(int id) {
        int n = tokenizer.copyTokenBytes(id, renderSpecial, buffer, pending);
        if (n < 0) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, pending - n));
            n = tokenizer.copyTokenBytes(id, renderSpecial, buffer, pending);
        }
        int total = pending + n;
        int complete = completeLength(buffer, total);
        String text = complete == 0 ? "" : new String(buffer, 0, complete, StandardCharsets.UTF_8);
        pending = total - complete;
        System.arraycopy(buffer, complete, buffer, 0, pending);
        return text;
    }

    /** Ends the stream: returns what is still held back (an unfinished character as U+FFFD) and resets. */
    public String flush() {
        String text = pending == 0 ? "" : new String(buffer, 0, pending, StandardCharsets.UTF_8);
        pending = 0;
        return text;
    }

    /** Forgets held-back bytes, to reuse the decoder for another sequence. */
    public void reset() {
        pending = 0;
    }

    /** Whether bytes of an unfinished character are held back. */
    public boolean hasPending() {
        return pending > 0;
    }

    /**
     * How many of the first {@code len} bytes can be decoded now: all of them, except a trailing
     * sequence that is a valid but unfinished UTF-8 character.
     */
    static int completeLength(byte[] b, int len) {
        for (int i = len - 1; i >= 0 && i >= len - 3; i--) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                return len; // ASCII ends whatever came before
            }
            if (c < 0xC0) {
                continue; // continuation byte: look for its lead
            }
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            int have = len - i;
            if (have >= need || !validStart(b, i, have)) {
                return len; // complete, or never valid: the decoder emits it (as U+FFFD if invalid)
            }
            return i;
        }
        return len;
    }

    /** Whether {@code have} bytes at {@code at} can begin a well-formed UTF-8 character (RFC 3629). */
    private static boolean validStart(byte[] b, int at, int have) {
        int lead = b[at] & 0xFF;
        if (lead < 0xC2 || lead > 0xF4) {
            return false;
        }
        for (int k = 1; k < have; k++) {
            int c = b[at + k] & 0xFF;
            int lo = 0x80;
            int hi = 0xBF;
            if (k == 1) {
                switch (lead) {
                    case 0xE0 -> lo = 0xA0; // no overlong 3-byte forms
                    case 0xED -> hi = 0x9F; // no surrogates
                    case 0xF0 -> lo = 0x90; // no overlong 4-byte forms
                    case 0xF4 -> hi = 0x8F; // nothing above U+10FFFF
                    default -> { }
                }
            }
            if (c < lo || c > hi) {
                return false;
            }
        }
        return true;
    }
}
