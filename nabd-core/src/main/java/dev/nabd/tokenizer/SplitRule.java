package dev.nabd.tokenizer;

/**
 * One expression of a pre-tokenizer. As in llama.cpp's {@code unicode_regex_split}, each rule re-splits
 * every fragment the previous rule produced: matches become fragments, and so does the unmatched text
 * between them, so text is never dropped and no fragment ever spans two earlier fragments.
 */
interface SplitRule {
    /**
     * @param text the whole text
     * @param fragments lengths in code points of the consecutive fragments that cover {@code text}
     * @return the lengths of the finer fragments, again covering the whole text
     */
    IntList split(SplitText text, IntList fragments);
}
