package dev.nabd.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Python's str operations where Java's differ: indices count code points (an emoji is one character),
 * whitespace is Python's {@code str.isspace} set (it includes NBSP and U+3000), and split/strip follow
 * CPython exactly.
 */
final class PyStrings {
    private PyStrings() {
    }

    /** Python's {@code str.isspace} for one code point. */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) || cp == 0x85 || cp == 0xa0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f
                || cp == 0x3000;
    }

    /** The characters of {@code s}, each a one-code-point string. */
    static List<Object> codePoints(String s) {
        List<Object> out = new ArrayList<>(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            out.add(s.substring(i, i + n));
            i += n;
        }
        return out;
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static boolean hasSurrogates(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code s[index]} with a Python index (negative counts from the end); {@code null} when out of range. */
    static String charAt(String s, long index) {
        if (!hasSurrogates(s)) {
            long i = index < 0 ? index + s.length() : index;
            return i < 0 || i >= s.length() ? null : String.valueOf(s.charAt((int) i));
        }
        int[] cps = s.codePoints().toArray();
        long i = index < 0 ? index + cps.length : index;
        return i < 0 || i >= cps.length ? null : new String(cps, (int) i, 1);
    }

    /** {@code s[start:stop:step]}; bounds may be {@code null} as in Python. */
    static String slice(String s, Long start, Long stop, Long step) {
        if (!hasSurrogates(s)) {
            int[] idx = Slices.indices(s.length(), start, stop, step);
            if (idx[2] == 1) {
                return idx[0] < idx[1] ? s.substring(idx[0], idx[1]) : "";
            }
            StringBuilder sb = new StringBuilder();
            for (int k = 0, i = idx[0]; k < idx[3]; k++, i += idx[2]) {
                sb.append(s.charAt(i));
            }
            return sb.toString();
        }
        int[] cps = s.codePoints().toArray();
        int[] idx = Slices.indices(cps.length, start, stop, step);
        StringBuilder sb = new StringBuilder();
        for (int k = 0, i = idx[0]; k < idx[3]; k++, i += idx[2]) {
            sb.appendCodePoint(cps[i]);
        }
        return sb.toString();
    }

    /** Python's {@code strip}/{@code lstrip}/{@code rstrip}: whitespace when {@code chars} is null. */
    static String strip(String s, String chars, boolean left, boolean right) {
        int start = 0;
        int end = s.length();
        if (left) {
            while (start < end) {
                int cp = s.codePointAt(start);
                if (!stripped(cp, chars)) {
                    break;
                }
                start += Character.charCount(cp);
            }
        }
        if (right) {
            while (end > start) {
                int cp = s.codePointBefore(end);
                if (!stripped(cp, chars)) {
                    break;
                }
                end -= Character.charCount(cp);
            }
        }
        return s.substring(start, end);
    }

    private static boolean stripped(int cp, String chars) {
        return chars == null ? isSpace(cp) : chars.indexOf(new String(Character.toChars(cp))) >= 0;
    }

    /** Python's {@code str.split(sep, maxsplit)}; {@code sep == null} splits on runs of whitespace. */
    static List<Object> split(String s, String sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (maxsplit < 0) {
            maxsplit = Long.MAX_VALUE;
        }
        if (sep == null) {
            int i = 0;
            int n = s.length();
            while (true) {
                while (i < n && isSpace(s.codePointAt(i))) {
                    i += Character.charCount(s.codePointAt(i));
                }
                if (i >= n) {
                    break;
                }
                if (out.size() >= maxsplit) {
                    out.add(s.substring(i));
                    break;
                }
                int j = i;
                while (j < n && !isSpace(s.codePointAt(j))) {
                    j += Character.charCount(s.codePointAt(j));
                }
                out.add(s.substring(i, j));
                i = j;
            }
            return out;
        }
        if (sep.isEmpty()) {
            throw JinjaError.value("empty separator");
        }
        int from = 0;
        while (out.size() < maxsplit) {
            int at = s.indexOf(sep, from);
            if (at < 0) {
                break;
            }
            out.add(s.substring(from, at));
            from = at + sep.length();
        }
        out.add(s.substring(from));
        return out;
    }

    /** Python's {@code str.rsplit(sep, maxsplit)}. */
    static List<Object> rsplit(String s, String sep, long maxsplit) {
        if (maxsplit < 0) {
            return split(s, sep, -1);
        }
        List<Object> out = new ArrayList<>();
        if (sep == null) {
            int j = s.length();
            while (true) {
                while (j > 0 && isSpace(s.codePointBefore(j))) {
                    j -= Character.charCount(s.codePointBefore(j));
                }
                if (j <= 0) {
                    break;
                }
                if (out.size() >= maxsplit) {
                    out.add(s.substring(0, j));
                    break;
                }
                int i = j;
                while (i > 0 && !isSpace(s.codePointBefore(i))) {
                    i -= Character.charCount(s.codePointBefore(i));
                }
                out.add(s.substring(i, j));
                j = i;
            }
        } else {
            if (sep.isEmpty()) {
                throw JinjaError.value("empty separator");
            }
            int end = s.length();
            while (out.size() < maxsplit) {
                int at = s.lastIndexOf(sep, end - sep.length());
                if (at < 0) {
                    break;
                }
                out.add(s.substring(at + sep.length(), end));
                end = at;
            }
            out.add(s.substring(0, end));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** Python's {@code str.splitlines(keepends)}. */
    static List<Object> splitlines(String s, boolean keepends) {
        List<Object> out = new ArrayList<>();
        int i = 0;
        int start = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int eol;
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                eol = 2;
            } else if (c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d || c == 0x1e
                    || c == 0x85 || c == 0x2028 || c == 0x2029) {
                eol = 1;
            } else {
                i++;
                continue;
            }
            out.add(s.substring(start, keepends ? i + eol : i));
            i += eol;
            start = i;
        }
        if (start < s.length()) {
            out.add(s.substring(start));
        }
        return out;
    }

    static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }

    /**
     * Python's {@code str.lower}: Java's full lower-case mapping, except for capital sigma, whose final
     * form Python chooses by Unicode's Final_Sigma rule (Java looks at word boundaries instead).
     */
    static String lower(String s) {
        if (s.indexOf('\u03a3') < 0) {
            return s.toLowerCase(Locale.ROOT);
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            sb.append(cp == 0x3a3 ? (finalSigma(s, i) ? "\u03c2" : "\u03c3") : new String(Character.toChars(cp)).toLowerCase(Locale.ROOT));
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /** CPython's handle_capital_sigma: a cased letter before (skipping case-ignorables) and none after. */
    private static boolean finalSigma(String s, int at) {
        int j = at;
        int before = -1;
        while (j > 0) {
            int c = s.codePointBefore(j);
            j -= Character.charCount(c);
            if (!isCaseIgnorable(c)) {
                before = c;
                break;
            }
        }
        if (before < 0 || !isCased(before)) {
            return false;
        }
        for (j = at + 1; j < s.length(); ) {
            int c = s.codePointAt(j);
            j += Character.charCount(c);
            if (!isCaseIgnorable(c)) {
                return !isCased(c);
            }
        }
        return true;
    }

    /** Unicode's Case_Ignorable: marks, format characters, modifiers and the word-internal punctuation. */
    private static boolean isCaseIgnorable(int cp) {
        switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT, Character.MODIFIER_LETTER,
                 Character.MODIFIER_SYMBOL -> {
                return true;
            }
            default -> {
                return switch (cp) {
                    case 0x27, 0x2e, 0x3a, 0xb7, 0x387, 0x55f, 0x5f4, 0x2018, 0x2019, 0x2024, 0x2027, 0xfe13, 0xfe52, 0xfe55,
                         0xff07, 0xff0e, 0xff1a -> true;
                    default -> false;
                };
            }
        }
    }

    private static boolean isCased(int cp) {
        return Character.isUpperCase(cp) || Character.isLowerCase(cp) || Character.isTitleCase(cp);
    }

    /**
     * Python's {@code str.title}: a cased character after an uncased one starts a word and is title-cased,
     * the others are lower-cased (with the context of the whole string, for the final sigma).
     */
    static String title(String s) {
        String lowered = lower(s);
        StringBuilder sb = new StringBuilder(s.length());
        boolean previousCased = false;
        int at = 0; // where the current character's lower-case form starts in lowered
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            int n = lowerLength(cp);
            sb.append(previousCased ? lowered.substring(at, at + n) : titleCase(cp));
            at += n;
            previousCased = isCased(cp);
        }
        return sb.toString();
    }

    /** Python's {@code str.capitalize}: first character title-cased, the rest lower-cased. */
    static String capitalize(String s) {
        if (s.isEmpty()) {
            return s;
        }
        int cp = s.codePointAt(0);
        return titleCase(cp) + lower(s).substring(lowerLength(cp));
    }

    /** Length of a character's lower-case form (Java maps each character alone but for the final sigma, same length). */
    private static int lowerLength(int cp) {
        return lower(new String(Character.toChars(cp))).length();
    }

    /**
     * The full title-case mapping of one character (Unicode SpecialCasing), which Java has no method for:
     * the simple mapping when there is one (digraphs such as dž, Greek with ypogegrammeni), otherwise the
     * full upper-case form with what follows a cased first character lower-cased ("ß" gives "Ss", "ﬁ" "Fi").
     */
    private static String titleCase(int cp) {
        String upper = upper(new String(Character.toChars(cp)));
        int simple = Character.toTitleCase(cp);
        if (upper.codePointCount(0, upper.length()) == 1 || simple != cp || Character.isTitleCase(cp)) {
            return new String(Character.toChars(simple));
        }
        int first = upper.codePointAt(0);
        int n = Character.charCount(first);
        return isCased(first) ? upper.substring(0, n) + lower(upper.substring(n)) : upper;
    }

    /** Python's {@code str.istitle}. */
    static boolean isTitle(String s) {
        boolean cased = false;
        boolean previousCased = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isUpperCase(cp) || Character.isTitleCase(cp)) {
                if (previousCased) {
                    return false;
                }
                previousCased = true;
                cased = true;
            } else if (Character.isLowerCase(cp)) {
                if (!previousCased) {
                    return false;
                }
                previousCased = true;
                cased = true;
            } else {
                previousCased = false;
            }
        }
        return cased;
    }

    static String swapcase(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            String c = new String(Character.toChars(cp));
            if (cp == 0x3a3) {
                sb.append(finalSigma(s, i) ? "\u03c2" : "\u03c3");
            } else {
                sb.append(Character.isUpperCase(cp) ? c.toLowerCase(Locale.ROOT) : Character.isLowerCase(cp) ? upper(c) : c);
            }
            i += c.length();
        }
        return sb.toString();
    }

    /** Python's {@code str.replace(old, new, count)}, including the empty-pattern case. */
    static String replace(String s, String old, String replacement, long count) {
        if (count < 0) {
            count = Long.MAX_VALUE;
        }
        if (old.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            long done = 0;
            for (int i = 0; i <= s.length(); ) {
                if (done < count) {
                    sb.append(replacement);
                    done++;
                }
                if (i == s.length()) {
                    break;
                }
                int cp = s.codePointAt(i);
                sb.appendCodePoint(cp);
                i += Character.charCount(cp);
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder(s.length());
        int from = 0;
        long done = 0;
        while (done < count) {
            int at = s.indexOf(old, from);
            if (at < 0) {
                break;
            }
            sb.append(s, from, at).append(replacement);
            from = at + old.length();
            done++;
        }
        return sb.append(s, from, s.length()).toString();
    }

    /** Number of code points in {@code s[0:charIndex]}: turns a Java index into a Python one. */
    static long pyIndex(String s, int charIndex) {
        return s.codePointCount(0, charIndex);
    }

    /** Python's {@code str.count(sub)} (non-overlapping). */
    static long count(String s, String sub) {
        if (sub.isEmpty()) {
            return s.codePointCount(0, s.length()) + 1L;
        }
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) {
            n++;
        }
        return n;
    }

    /** Python's {@code str.center}, {@code ljust} and {@code rjust}. */
    static String pad(String s, long width, String fill, char align) {
        long len = s.codePointCount(0, s.length());
        if (width <= len) {
            return s;
        }
        int total = (int) (width - len);
        int left;
        switch (align) {
            case '<' -> left = 0;
            case '>' -> left = total;
            default -> left = total / 2 + (total & (int) width & 1); // CPython's centering rule
        }
        return fill.repeat(left) + s + fill.repeat(total - left);
    }
}
