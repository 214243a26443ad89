package dev.nabd.chat;

/**
 * A string marked safe ({@code |safe}) or already escaped ({@code |e}), as markupsafe's {@code Markup}.
 * Chat templates render without autoescape, so it matters in one place only: {@code +} with a plain
 * string escapes the plain side, as Python's {@code Markup.__add__} does.
 */
record Markup(String text) {

    /** markupsafe's {@code escape}: {@code & < > ' "} become entities. */
    static Markup escape(Object value) {
        if (value instanceof Markup m) {
            return m;
        }
        String s = PyRepr.str(value);
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '\'' -> sb.append("&#39;");
                case '"' -> sb.append("&#34;");
                default -> sb.append(c);
            }
        }
        return new Markup(sb.toString());
    }
}
