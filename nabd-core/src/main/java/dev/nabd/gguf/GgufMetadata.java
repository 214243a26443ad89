package dev.nabd.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The key/value metadata of a GGUF file, in file order, with typed getters whose failures name the key.
 */
public final class GgufMetadata {
    private final String source;
    private final Map<String, GgufValue> values;

    /**
     * @param source what to call the file in error messages (usually its path)
     * @param values the entries, in file order
     */
    public GgufMetadata(String source, Map<String, GgufValue> values) {
        this.source = source;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Every entry, in file order. */
    public Map<String, GgufValue> asMap() {
        return values;
    }

    public boolean contains(String key) {
        return values.containsKey(key);
    }

    public Optional<GgufValue> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    public String getString(String key) {
        return (String) require(key, GgufValueType.STRING).value();
    }

    public String getString(String key, String fallback) {
        GgufValue v = values.get(key);
        return v == null ? fallback : getString(key);
    }

    /** An integer value of any integer type that fits an {@code int}. */
    public int getInt(String key) {
        GgufValue v = require(key, null);
        try {
            return Math.toIntExact(v.asLong());
        } catch (IllegalStateException | ArithmeticException e) {
            throw wrong(key, "an integer that fits 32 bits", v);
        }
    }

    public int getInt(String key, int fallback) {
        return values.containsKey(key) ? getInt(key) : fallback;
    }

    public long getLong(String key) {
        GgufValue v = require(key, null);
        try {
            return v.asLong();
        } catch (IllegalStateException e) {
            throw wrong(key, "an integer", v);
        }
    }

    /** A numeric value of any type, as a float. */
    public float getFloat(String key, float fallback) {
        GgufValue v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return (float) v.asDouble();
        } catch (IllegalStateException e) {
            throw wrong(key, "a number", v);
        }
    }

    public boolean getBool(String key, boolean fallback) {
        GgufValue v = values.get(key);
        if (v == null) {
            return fallback;
        }
        if (v.type() != GgufValueType.BOOL) {
            throw wrong(key, "a bool", v);
        }
        return (Boolean) v.value();
    }

    /** An array value; fails when the key is missing or not an array. */
    public GgufArray getArray(String key) {
        return (GgufArray) require(key, GgufValueType.ARRAY).value();
    }

    public Optional<GgufArray> findArray(String key) {
        return values.containsKey(key) ? Optional.of(getArray(key)) : Optional.empty();
    }

    private GgufValue require(String key, GgufValueType type) {
        GgufValue v = values.get(key);
        if (v == null) {
            throw new GgufException(source + ": missing required metadata key '" + key + "'");
        }
        if (type != null && v.type() != type) {
            throw wrong(key, type.name().toLowerCase(java.util.Locale.ROOT), v);
        }
        return v;
    }

    private GgufException wrong(String key, String expected, GgufValue v) {
        return new GgufException(source + ": metadata key '" + key + "' should be " + expected + " but is "
                + v.type().name().toLowerCase(java.util.Locale.ROOT));
    }
}
