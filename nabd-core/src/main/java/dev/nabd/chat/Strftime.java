package dev.nabd.chat;

import java.time.LocalDateTime;
import java.time.format.TextStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.IsoFields;
import java.util.Locale;

/**
 * Python's {@code datetime.now().strftime(fmt)} in the C locale, behind {@code strftime_now}: Llama 3.2
 * writes "Today Date: 26 Jul 2024" with {@code "%d %b %Y"}. The time is naive (no zone), so {@code %z}
 * and {@code %Z} give nothing, as in Python. glibc's {@code %-d} (no padding) is supported too.
 */
final class Strftime {
    private Strftime() {
    }

    static String format(String fmt, LocalDateTime t) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%' || i + 1 >= fmt.length()) {
                out.append(c);
                continue;
            }
            char f = fmt.charAt(++i);
            boolean noPad = false;
            if ((f == '-') && i + 1 < fmt.length()) {
                noPad = true;
                f = fmt.charAt(++i);
            }
            String field = field(f, t);
            if (field == null) {
                out.append('%').append(noPad ? "-" : "").append(f);
            } else {
                out.append(noPad ? unpad(field) : field);
            }
        }
        return out.toString();
    }

    private static String unpad(String s) {
        int i = 0;
        while (i < s.length() - 1 && (s.charAt(i) == '0' || s.charAt(i) == ' ')) {
            i++;
        }
        return s.substring(i);
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String field(char f, LocalDateTime t) {
        int hour12 = t.getHour() % 12 == 0 ? 12 : t.getHour() % 12;
        return switch (f) {
            case 'a' -> t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'A' -> t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.US);
            case 'b', 'h' -> t.getMonth().getDisplayName(TextStyle.SHORT, Locale.US);
            case 'B' -> t.getMonth().getDisplayName(TextStyle.FULL, Locale.US);
            case 'c' -> field('a', t) + " " + field('b', t) + " " + String.format("%2d", t.getDayOfMonth()) + " "
                    + field('X', t) + " " + t.getYear();
            case 'C' -> two(t.getYear() / 100);
            case 'd' -> two(t.getDayOfMonth());
            case 'D', 'x' -> field('m', t) + "/" + field('d', t) + "/" + field('y', t);
            case 'e' -> String.format("%2d", t.getDayOfMonth());
            case 'f' -> String.format("%06d", t.getNano() / 1000);
            case 'F' -> t.getYear() + "-" + field('m', t) + "-" + field('d', t);
            case 'H' -> two(t.getHour());
            case 'I' -> two(hour12);
            case 'j' -> String.format("%03d", t.getDayOfYear());
            case 'k' -> String.format("%2d", t.getHour());
            case 'l' -> String.format("%2d", hour12);
            case 'm' -> two(t.getMonthValue());
            case 'M' -> two(t.getMinute());
            case 'n' -> "\n";
            case 'p' -> t.getHour() < 12 ? "AM" : "PM";
            case 'R' -> field('H', t) + ":" + field('M', t);
            case 'S' -> two(t.getSecond());
            case 't' -> "\t";
            case 'T', 'X' -> field('H', t) + ":" + field('M', t) + ":" + field('S', t);
            case 'u' -> Integer.toString(t.getDayOfWeek().getValue());
            case 'w' -> Integer.toString(t.getDayOfWeek().getValue() % 7);
            case 'U' -> two((t.getDayOfYear() + 6 - t.getDayOfWeek().getValue() % 7) / 7);
            case 'W' -> two((t.getDayOfYear() + 6 - (t.getDayOfWeek().getValue() + 6) % 7) / 7);
            case 'V' -> two(t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            case 'G' -> Integer.toString(t.get(IsoFields.WEEK_BASED_YEAR));
            case 'y' -> two(t.getYear() % 100);
            case 'Y' -> Integer.toString(t.get(ChronoField.YEAR));
            case 'z', 'Z' -> "";
            case '%' -> "%";
            default -> null;
        };
    }
}
