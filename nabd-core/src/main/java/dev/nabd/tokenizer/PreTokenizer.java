package dev.nabd.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into the words that BPE merges never cross, as llama.cpp's {@code unicode_regex_split}
 * does: the rules run in order, each re-splitting the previous one's fragments.
 */
final class PreTokenizer {
    private final List<SplitRule> rules;

    PreTokenizer(List<SplitRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** A pre-tokenizer for llama.cpp's list of regexes, using the hand-coded splitters where llama.cpp does. */
    static PreTokenizer ofRegexes(List<String> regexes) {
        List<SplitRule> rules = new ArrayList<>();
        for (String regex : regexes) {
            if (regex.equals(Gpt2Splitter.REGEX)) {
                rules.add(new Gpt2Splitter());
            } else if (regex.equals(Llama3Splitter.REGEX) || regex.equals(Llama3Splitter.REGEX_HF)) {
                rules.add(new Llama3Splitter());
            } else {
                rules.add(RegexSplitter.of(regex));
            }
        }
        return new PreTokenizer(rules);
    }

    /** The words of {@code text}, in order; together they are the text (lone surrogates as U+FFFD). */
    List<String> split(String text) {
        SplitText t = SplitText.of(text);
        if (t.length() == 0) {
            return List.of();
        }
        IntList fragments = new IntList(1);
        fragments.add(t.length());
        for (SplitRule rule : rules) {
            fragments = rule.split(t, fragments);
        }
        int[] cps = t.codePoints();
        List<String> words = new ArrayList<>(fragments.size());
        int start = 0;
        for (int i = 0; i < fragments.size(); i++) {
            int len = fragments.get(i);
            words.add(new String(cps, start, len));
            start += len;
        }
        return words;
    }
}
