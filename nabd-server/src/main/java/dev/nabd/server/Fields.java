package dev.nabd.server;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed reading of a request's JSON fields. A field that is absent or JSON {@code null} takes its
 * default; one of the wrong type or out of range is a 400 naming the parameter.
 */
final class Fields {
    private final JsonNode body;

    Fields(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("the request body must be a JSON object", null);
        }
        this.body = body;
    }

    JsonNode node(String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String name) {
        return node(name) != null;
    }

    String string(String name, String fallback) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isTextual()) {
            throw wrongType(name, "a string");
        }
        return n.asText();
    }

    boolean bool(String name, boolean fallback) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw wrongType(name, "a boolean");
        }
        return n.asBoolean();
    }

    /** A number in {@code [min, max]}. */
    double number(String name, double fallback, double min, double max) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isNumber()) {
            throw wrongType(name, "a number");
        }
        double v = n.asDouble();
        if (!(v >= min && v <= max)) {
            throw ApiException.invalid(name + " must be between " + fmt(min) + " and " + fmt(max) + ", not " + n, name);
        }
        return v;
    }

    /** An integer in {@code [min, max]}. */
    long integer(String name, long fallback, long min, long max) {
        JsonNode n = node(name);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            throw wrongType(name, "an integer");
        }
        if (!n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw ApiException.invalid(name + " must be between " + min + " and " + max + ", not " + n, name);
        }
        return n.asLong();
    }

    /** A string or a list of strings (as {@code stop}). */
    List<String> strings(String name, int maxItems) {
        JsonNode n = node(name);
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            for (JsonNode item : n) {
                if (!item.isTextual()) {
                    throw wrongType(name, "a string or a list of strings");
                }
                out.add(item.asText());
            }
        } else {
            throw wrongType(name, "a string or a list of strings");
        }
        if (out.size() > maxItems) {
            throw ApiException.invalid(name + " takes at most " + maxItems + " items, not " + out.size(), name);
        }
        for (String s : out) {
            if (s.isEmpty()) {
                throw ApiException.invalid(name + " must not contain empty strings", name);
            }
        }
        return out;
    }

    static ApiException wrongType(String name, String what) {
        return ApiException.invalid(name + " must be " + what, name, "invalid_type");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
