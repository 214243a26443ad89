package dev.nabd.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * A pre-tokenizer stage (Hugging Face {@code pre_tokenizers}): splits normalized text into the words that
 * the model tokenizes separately (BPE merges never cross a word boundary). Stages may also rewrite the
 * words (ByteLevel maps bytes to characters, Metaspace spaces to U+2581). Implementations are immutable
 * and thread-safe; none emits an empty word.
 */
interface PreTokenizer {

    /** Receives the words of a text, in order. */
    @FunctionalInterface
    interface WordSink {
        /**
         * @param atStart whether the word begins the whole input text (Hugging Face: its original offset
         *                is 0), which Metaspace's {@code prepend_scheme = "first"} asks about
         */
        void word(String word, boolean atStart);
    }

    /** Hands the words of {@code text} to {@code out}; {@code atStart} says whether the text begins the input. */
    void split(String text, boolean atStart, WordSink out);

    /** The words of {@code text} as a list (for tests and tools; the tokenizers stream them). */
    default List<String> split(String text) {
        List<String> words = new ArrayList<>();
        split(text, true, (w, s) -> words.add(w));
        return words;
    }

    /** A pre-tokenizer for llama.cpp's list of regexes (see {@link LlamaCppSplit}). */
    static PreTokenizer ofRegexes(List<String> regexes) {
        return LlamaCppSplit.of(regexes);
    }

    /** The stages in order, each splitting every word of the one before (Hugging Face {@code Sequence}). */
    static PreTokenizer sequence(List<PreTokenizer> stages) {
        return switch (stages.size()) {
            case 0 -> (text, atStart, out) -> {
                if (!text.isEmpty()) {
                    out.word(text, atStart);
                }
            };
            case 1 -> stages.getFirst();
            default -> {
                PreTokenizer first = stages.getFirst();
                PreTokenizer rest = sequence(stages.subList(1, stages.size()));
                yield (text, atStart, out) -> first.split(text, atStart, (w, s) -> rest.split(w, s, out));
            }
        };
    }
}
