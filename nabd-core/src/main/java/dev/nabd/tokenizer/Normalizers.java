package dev.nabd.tokenizer;

import java.text.Normalizer.Form;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The simple normalizers of Hugging Face {@code tokenizers}, one small record each (BERT's has its own class). */
final class Normalizers {
    private Normalizers() {
    }

    /** NFC, NFD, NFKC or NFKD. */
    record Unicode(Form form) implements Normalizer {
        @Override
        public String normalize(String text) {
            return java.text.Normalizer.normalize(text, form);
        }
    }

    /** Lower case, code point by code point (see {@link CharClasses#lowerCase}). */
    record Lowercase() implements Normalizer {
        @Override
        public String normalize(String text) {
            return lowerCase(text);
        }
    }

    static String lowerCase(String text) {
        int i = 0;
        while (i < text.length() && text.charAt(i) < 0x80) {
            i++;
        }
        if (i == text.length()) {
            return text.toLowerCase(java.util.Locale.ROOT); // ASCII: the same either way, and fast
        }
        StringBuilder sb = new StringBuilder(text.length());
        sb.append(text.substring(0, i).toLowerCase(java.util.Locale.ROOT));
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp < 0x80) {
                sb.append((char) (cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
            } else {
                sb.append(CharClasses.lowerCase(cp));
            }
        }
        return sb.toString();
    }

    /** Removes whitespace (Unicode White_Space) at the left and/or right end. */
    record Strip(boolean left, boolean right) implements Normalizer {
        @Override
        public String normalize(String text) {
            int start = 0;
            int end = text.length();
            if (left) {
                while (start < end && CharClasses.isWhitespace(text.codePointAt(start))) {
                    start += Character.charCount(text.codePointAt(start));
                }
            }
            if (right) {
                while (end > start && CharClasses.isWhitespace(text.codePointBefore(end))) {
                    end -= Character.charCount(text.codePointBefore(end));
                }
            }
            return text.substring(start, end);
        }
    }

    /** Removes combining marks (Mn, Mc, Me); meant to follow NFD or NFKD. */
    record StripAccents() implements Normalizer {
        @Override
        public String normalize(String text) {
            return filter(text, cp -> !CharClasses.isMark(cp));
        }
    }

    static String filter(String text, java.util.function.IntPredicate keep) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            int n = Character.charCount(cp);
            if (!keep.test(cp)) {
                if (sb == null) {
                    sb = new StringBuilder(text.length()).append(text, 0, i);
                }
            } else if (sb != null) {
                sb.append(text, i, i + n);
            }
            i += n;
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * Replaces every match of a literal string or a regex with {@code content}, taken literally (no group
     * references, as in Hugging Face).
     */
    record Replace(Pattern pattern, String content) implements Normalizer {
        static Replace literal(String pattern, String content) {
            return new Replace(pattern.isEmpty() ? null : Pattern.compile(Pattern.quote(pattern)), content);
        }

        @Override
        public String normalize(String text) {
            return pattern == null ? text : replaceAll(pattern, text, content);
        }
    }

    static String replaceAll(Pattern pattern, String text, String content) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text.length() + 16);
        int last = 0;
        do {
            sb.append(text, last, m.start()).append(content);
            last = m.end();
        } while (m.find());
        return sb.append(text, last, text.length()).toString();
    }

    /** Puts {@code prefix} in front of text that is not empty. */
    record Prepend(String prefix) implements Normalizer {
        @Override
        public String normalize(String text) {
            return text.isEmpty() ? text : prefix + text;
        }
    }

    /** Maps every UTF-8 byte to its GPT-2 character, as the ByteLevel pre-tokenizer does. */
    record ByteLevel() implements Normalizer {
        @Override
        public String normalize(String text) {
            return ByteLevelPreTokenizer.map(text);
        }
    }

    /** The normalizers in order. */
    record Sequence(List<Normalizer> normalizers) implements Normalizer {
        Sequence {
            normalizers = List.copyOf(normalizers);
        }

        @Override
        public String normalize(String text) {
            for (Normalizer n : normalizers) {
                text = n.normalize(text);
            }
            return text;
        }
    }
}
