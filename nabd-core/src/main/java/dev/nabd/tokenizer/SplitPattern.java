package dev.nabd.tokenizer;

import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link Split} stage splits on (Hugging Face's {@code Pattern}): the places where it matches a
 * text, as consecutive {@code start, end} pairs of char indices, in order and not overlapping.
 */
@FunctionalInterface
interface SplitPattern {

    /** Appends {@code start, end} for every match in {@code text}. */
    void find(String text, IntList out);

    /** Every match of a regular expression (an empty match is reported too; the stage drops empty words). */
    static SplitPattern regex(Pattern pattern) {
        return (text, out) -> {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                out.add(m.start());
                out.add(m.end());
            }
        };
    }

    /** Every occurrence of a literal string; an empty string matches nothing, as in Hugging Face. */
    static SplitPattern literal(String s) {
        return (text, out) -> {
            if (s.isEmpty()) {
                return;
            }
            for (int at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + s.length())) {
                out.add(at);
                out.add(at + s.length());
            }
        };
    }

    /** Every single code point for which {@code p} holds, each a match of its own. */
    static SplitPattern chars(IntPredicate p) {
        return (text, out) -> {
            for (int i = 0; i < text.length(); ) {
                int cp = text.codePointAt(i);
                int n = Character.charCount(cp);
                if (p.test(cp)) {
                    out.add(i);
                    out.add(i + n);
                }
                i += n;
            }
        };
    }
}
