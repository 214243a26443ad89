package dev.nabd.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's {@code json.dumps}, which transformers installs as the {@code tojson} filter: separators
 * {@code ", "} and {@code ": "} (or {@code ","} between items once {@code indent} is given), keys in
 * insertion order unless sorted, floats as Python's repr, and non-ASCII text kept as is unless
 * {@code ensure_ascii} asks for {@code \\uXXXX} escapes.
 */
final class PyJson {
    private final boolean ensureAscii;
    private final String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;
    private final StringBuilder out = new StringBuilder();

    private PyJson(boolean ensureAscii, String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    /**
     * @param indent     {@code null} for one line, a number of spaces, or the indent string itself
     * @param separators {@code null} for Python's defaults, else a 2-item list or tuple (item, key)
     */
    static String dumps(Object value, boolean ensureAscii, Object indent, Object separators, boolean sortKeys) {
        String indentString = switch (indent) {
            case null -> null;
            case Long n -> " ".repeat((int) Math.max(0, n));
            case Boolean b -> b ? " " : "";
            case String s -> s;
            default -> throw JinjaError.type("indent must be None, an int or a str, not " + Py.typeName(indent));
        };
        String item = indentString == null ? ", " : ",";
        String key = ": ";
        if (separators != null) {
            List<Object> pair = Py.toList(separators);
            if (pair.size() != 2 || !Py.isString(pair.get(0)) || !Py.isString(pair.get(1))) {
                throw JinjaError.value("separators must be a pair of strings");
            }
            item = Py.asString(pair.get(0));
            key = Py.asString(pair.get(1));
        }
        PyJson j = new PyJson(ensureAscii, indentString, item, key, sortKeys);
        j.write(value, 0);
        return j.out.toString();
    }

    private void write(Object v, int level) {
        switch (v) {
            case null -> out.append("null");
            case Boolean b -> out.append(b ? "true" : "false");
            case Long l -> out.append(l);
            case Double d -> out.append(floatText(d));
            case String s -> string(s);
            case Markup m -> string(m.text());
            case PyTuple t -> array(t.items(), level);
            case PyRange r -> throw notSerializable(v);
            case List<?> l -> array(l, level);
            case Map<?, ?> m -> object(m, level);
            default -> throw notSerializable(v);
        }
    }

    private static JinjaError notSerializable(Object v) {
        return JinjaError.type("Object of type " + Py.typeName(v) + " is not JSON serializable");
    }

    private static String floatText(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        return PyRepr.floatRepr(d);
    }

    private void newline(int level) {
        if (indent != null) {
            out.append('\n').append(indent.repeat(level));
        }
    }

    private void array(List<?> items, int level) {
        if (items.isEmpty()) {
            out.append("[]");
            return;
        }
        out.append('[');
        newline(level + 1);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(itemSeparator);
                newline(level + 1);
            }
            write(items.get(i), level + 1);
        }
        newline(level);
        out.append(']');
    }

    private void object(Map<?, ?> map, int level) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
        if (sortKeys) {
            entries.sort((a, b) -> Py.sortOrder(a.getKey(), b.getKey()));
        }
        out.append('{');
        newline(level + 1);
        boolean first = true;
        for (Map.Entry<?, ?> e : entries) {
            if (!first) {
                out.append(itemSeparator);
                newline(level + 1);
            }
            first = false;
            string(keyText(e.getKey()));
            out.append(keySeparator);
            write(e.getValue(), level + 1);
        }
        newline(level);
        out.append('}');
    }

    private static String keyText(Object key) {
        return switch (key) {
            case String s -> s;
            case Markup m -> m.text();
            case Boolean b -> b ? "true" : "false";
            case Long l -> l.toString();
            case Double d -> floatText(d);
            case null -> "null";
            default -> throw JinjaError.type("keys must be str, int, float, bool or None, not " + Py.typeName(key));
        };
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) {
                        // UTF-16 units, so a character beyond the BMP comes out as its surrogate pair, as in Python
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
