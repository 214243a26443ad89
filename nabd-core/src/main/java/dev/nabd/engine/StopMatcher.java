package dev.nabd.engine;

import java.util.List;

/**
 * Finds stop strings in streamed text, across token boundaries, without letting any part of a stop
 * string out: text that could be the beginning of a stop string is held back until the next piece shows
 * whether it is one.
 */
final class StopMatcher {
    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private boolean matched;

    StopMatcher(List<String> stops) {
        this.stops = stops;
    }

    /** Adds {@code text}; returns what may be shown now. After a match, the rest is dropped. */
    String accept(String text) {
        if (matched) {
            return "";
        }
        if (stops.isEmpty()) {
            return text;
        }
        held.append(text);
        int cut = -1;
        for (String s : stops) {
            int at = held.indexOf(s);
            if (at >= 0 && (cut < 0 || at < cut)) {
                cut = at;
            }
        }
        if (cut >= 0) {
            matched = true;
            String out = held.substring(0, cut);
            held.setLength(0);
            return out;
        }
        int keep = 0;
        for (String s : stops) {
            for (int k = Math.min(s.length() - 1, held.length()); k > keep; k--) {
                if (endsWith(held, s, k)) {
                    keep = k;
                    break;
                }
            }
        }
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return out;
    }

    /** Whether a stop string has been seen. */
    boolean matched() {
        return matched;
    }

    /** The end of the stream: what is still held back (it was no stop string after all). */
    String flush() {
        String out = held.toString();
        held.setLength(0);
        return out;
    }

    /** Whether {@code text} ends with the first {@code k} characters of {@code stop}. */
    private static boolean endsWith(StringBuilder text, String stop, int k) {
        int start = text.length() - k;
        for (int i = 0; i < k; i++) {
            if (text.charAt(start + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
