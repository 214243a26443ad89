package dev.nabd.tokenizer;

/**
 * A normalizer stage (Hugging Face {@code normalizers}): rewrites each piece of text between added
 * tokens before it is split into words. Implementations are immutable and thread-safe.
 */
@FunctionalInterface
interface Normalizer {
    /** The normalizer that changes nothing (a tokenizer.json with {@code "normalizer": null}). */
    Normalizer NONE = text -> text;

    String normalize(String text);
}
