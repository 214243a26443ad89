package dev.nabd.tokenizer;

import java.util.ArrayList;
import java.util.List;

/**
 * The Split stage of a GGUF byte-level BPE tokenizer: llama.cpp's {@code unicode_regex_split}, its list
 * of expressions run in order, each re-splitting the fragments of the one before, every match and every
 * stretch between matches a word (Hugging Face's {@code Isolated} behaviour). It differs from
 * {@link Split} in how characters are classified: llama.cpp matches Unicode classes on a "collapsed"
 * copy of the text (see {@link RegexSplitter}) and runs hand-coded splitters for the GPT-2 and Llama 3
 * expressions, quirks included, and GGUF ids must match llama.cpp's.
 */
final class LlamaCppSplit implements PreTokenizer {
    private final List<SplitRule> rules;

    LlamaCppSplit(List<SplitRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules for llama.cpp's list of regexes, using the hand-coded splitters where llama.cpp does. */
    static LlamaCppSplit of(List<String> regexes) {
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
        return new LlamaCppSplit(rules);
    }

    /** Splits {@code text}; together the words are the text (lone surrogates as U+FFFD). */
    @Override
    public void split(String text, boolean atStart, WordSink out) {
        SplitText t = SplitText.of(text);
        if (t.length() == 0) {
            return;
        }
        IntList fragments = new IntList(1);
        fragments.add(t.length());
        for (SplitRule rule : rules) {
            fragments = rule.split(t, fragments);
        }
        int[] cps = t.codePoints();
        int start = 0;
        for (int i = 0; i < fragments.size(); i++) {
            int len = fragments.get(i);
            out.word(new String(cps, start, len), atStart && start == 0);
            start += len;
        }
    }
}
