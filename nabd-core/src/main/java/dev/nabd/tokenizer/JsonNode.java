package dev.nabd.tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value of a parsed tokenizer.json with its path ({@code model.merges[3]}), so that a wrong type or a
 * missing field fails with a message that says where: {@code tokenizer.json: model.merges[3]: expected a
 * string, found a number}.
 */
final class JsonNode {
    private final String source;
    private final String path;
    private final Object value;

    private JsonNode(String source, String path, Object value) {
        this.source = source;
        this.path = path;
        this.value = value;
    }

    /** The root value of file {@code source} (as {@link dev.nabd.json.JsonReader} returns it). */
    static JsonNode root(String source, Object value) {
        return new JsonNode(source, "", value);
    }

    /** A child of an object: a missing field is a node whose value is {@code null}. */
    JsonNode get(String key) {
        return new JsonNode(source, path.isEmpty() ? key : path + "." + key, object().get(key));
    }

    /** Whether this is an object with a non-null {@code key}. */
    boolean has(String key) {
        return value instanceof Map<?, ?> m && m.get(key) != null;
    }

    boolean isNull() {
        return value == null;
    }

    boolean isString() {
        return value instanceof String;
    }

    boolean isList() {
        return value instanceof List<?>;
    }

    boolean isObject() {
        return value instanceof Map<?, ?>;
    }

    Map<String, Object> object() {
        if (value instanceof Map<?, ?> m) {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) m;
            return map;
        }
        throw wrongType("an object");
    }

    /** The fields of an object in file order. */
    Map<String, JsonNode> fields() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String key : object().keySet()) {
            out.put(key, get(key));
        }
        return out;
    }

    List<JsonNode> list() {
        if (!(value instanceof List<?> l)) {
            throw wrongType("an array");
        }
        List<JsonNode> out = new ArrayList<>(l.size());
        for (int i = 0; i < l.size(); i++) {
            out.add(new JsonNode(source, path + "[" + i + "]", l.get(i)));
        }
        return out;
    }

    String string() {
        if (value instanceof String s) {
            return s;
        }
        throw wrongType("a string");
    }

    String string(String fallback) {
        return value == null ? fallback : string();
    }

    boolean bool(boolean fallback) {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongType("true or false");
    }

    /** An integer that fits an int. */
    int integer() {
        if (value instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
            return (int) (long) l;
        }
        throw wrongType(value instanceof Long ? "an integer in the int range" : "an integer");
    }

    int integer(int fallback) {
        return value == null ? fallback : integer();
    }

    double number() {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw wrongType("a number");
    }

    /** The {@code type} field of a stage object. */
    String type() {
        return get("type").string();
    }

    /** An error about this value: {@code <source>: <path>: <message>}. */
    TokenizerException error(String message) {
        return new TokenizerException(source + ": " + (path.isEmpty() ? "" : path + ": ") + message);
    }

    private TokenizerException wrongType(String expected) {
        return error((value == null ? "missing, expected " : "expected ") + expected
                + (value == null ? "" : ", found " + describe(value)));
    }

    private static String describe(Object v) {
        return switch (v) {
            case String s -> "a string";
            case Boolean b -> b.toString();
            case Long l -> "the integer " + l;
            case Double d -> "the number " + d;
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> v.getClass().getSimpleName();
        };
    }
}
