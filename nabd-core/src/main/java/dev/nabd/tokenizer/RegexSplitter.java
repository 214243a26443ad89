package dev.nabd.tokenizer;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pre-tokenizer expression run with {@link java.util.regex}, the way llama.cpp runs the expressions it
 * has no hand-coded splitter for. An expression with Unicode classes ({@code \p{L}} ...) must be ASCII
 * otherwise; llama.cpp rewrites each class to a stand-in character plus its ASCII members and matches on
 * the {@linkplain SplitText#collapsed() collapsed} text, and so do we, so that characters classify exactly
 * as in llama.cpp (including its quirks: {@code ~} is neither {@code \p{P}} nor {@code \p{S}} there).
 * Expressions without classes run on the {@linkplain SplitText#wide() text itself}.
 *
 * <p>llama.cpp uses {@code std::regex} (ECMAScript): ordered alternation, ASCII {@code \s}, lookahead,
 * {@code $} only at the end — the same as {@code java.util.regex} without flags, except {@code $}, which
 * is rewritten to {@code \z}. Each fragment is searched as a region with opaque bounds, so lookaheads do
 * not see past the fragment, as with llama.cpp's iterator over the fragment's range.
 */
final class RegexSplitter implements SplitRule {
    /** The Unicode classes llama.cpp rewrites, and the stand-in of each. */
    private static final Map<String, Character> CLASS_STAND_IN = Map.of(
            "\\p{N}", '\u00D1',
            "\\p{L}", '\u00D2',
            "\\p{P}", '\u00D3',
            "\\p{M}", '\u00D4',
            "\\p{S}", '\u00D5',
            "\\p{Lu}", '\u00D2',
            "\\p{Ll}", '\u00D2',
            "\\p{Lt}", '\u00D2',
            "\\p{Lm}", '\u00D2',
            "\\p{Lo}", '\u00D2');
    /** The ASCII members of each class, as llama.cpp lists them (k_ucat_map); note: no {@code ~}. */
    private static final Map<Character, String> ASCII_MEMBERS = Map.of(
            '\u00D1', "0-9",
            '\u00D2', "A-Za-z",
            '\u00D3', "!-#%-*,-/:-;?-@\\[-\\]_\\{\\}",
            '\u00D4', "",
            '\u00D5', "\\$\\+<->^`\\|");

    private final Pattern pattern;
    private final boolean collapsed;

    private RegexSplitter(Pattern pattern, boolean collapsed) {
        this.pattern = pattern;
        this.collapsed = collapsed;
    }

    /** A splitter for {@code regex} as written in llama.cpp's pre-tokenizer table. */
    static RegexSplitter of(String regex) {
        boolean usesClasses = CLASS_STAND_IN.keySet().stream().anyMatch(regex::contains);
        if (!usesClasses) {
            return new RegexSplitter(Pattern.compile(rewrite(regex, false)), false);
        }
        if (!regex.chars().allMatch(c -> c < 128)) {
            // llama.cpp refuses these too: the collapsed text cannot tell non-ASCII characters apart
            throw new TokenizerException("pre-tokenizer regex mixes Unicode classes and non-ASCII characters: " + regex);
        }
        return new RegexSplitter(Pattern.compile(rewrite(regex, true)), true);
    }

    /**
     * llama.cpp's rewrite of a regex for the collapsed text (only when {@code collapse}), plus {@code $} →
     * {@code \z}. Its bracket tracking is naive (a {@code [} or {@code ]} preceded by a backslash does not
     * count) and is kept as is.
     */
    private static String rewrite(String regex, boolean collapse) {
        StringBuilder out = new StringBuilder(regex.length() + 32);
        boolean inside = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            boolean escaped = i > 0 && regex.charAt(i - 1) == '\\';
            if (c == '[' && !escaped) {
                out.append('[');
                inside = true;
                continue;
            }
            if (inside && c == ']' && !escaped) {
                out.append(']');
                inside = false;
                continue;
            }
            if (collapse && c == '\\' && i + 3 < regex.length() && regex.charAt(i + 1) == 'p' && regex.charAt(i + 2) == '{') {
                int close = regex.indexOf('}', i + 3);
                if (close >= 0 && close <= i + 10) {
                    Character standIn = CLASS_STAND_IN.get(regex.substring(i, close + 1));
                    if (standIn != null) {
                        out.append(inside ? "" : "[").append(standIn.charValue()).append(ASCII_MEMBERS.get(standIn));
                        out.append(inside ? "" : "]");
                        i = close;
                        continue;
                    }
                }
            }
            if (c == '$' && !inside && !escaped) {
                out.append("\\z"); // ECMAScript's $ without multiline; Java's $ also matches before a final newline
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    @Override
    public IntList split(SplitText text, IntList fragments) {
        String s = collapsed ? text.collapsed() : text.wide();
        Matcher m = pattern.matcher(s);
        IntList out = new IntList(fragments.size() * 4);
        int from = 0;
        for (int f = 0; f < fragments.size(); f++) {
            int to = collapsed ? from + fragments.get(f) : s.offsetByCodePoints(from, fragments.get(f));
            m.region(from, to);
            int prev = from;
            while (m.find()) {
                if (m.end() == m.start()) {
                    continue; // an empty match adds nothing: llama.cpp's empty fragments vanish in the next step
                }
                if (m.start() > prev) {
                    out.add(codePoints(s, prev, m.start()));
                }
                out.add(codePoints(s, m.start(), m.end()));
                prev = m.end();
            }
            if (prev < to) {
                out.add(codePoints(s, prev, to));
            }
            from = to;
        }
        return out;
    }

    private int codePoints(String s, int from, int to) {
        return collapsed ? to - from : s.codePointCount(from, to);
    }

    /** The Java pattern this splitter runs (for tests and debugging). */
    String javaPattern() {
        return pattern.pattern();
    }

    /** Whether {@code regex} is run on the collapsed text. */
    boolean isCollapsed() {
        return collapsed;
    }
}
