package dev.nabd.tokenizer;

import dev.nabd.json.JsonReader;
import java.util.List;
import java.util.Map;

/**
 * Test shorthands over {@link JsonReader} for reading reference data: objects are
 * {@code Map<String, Object>} in file order, arrays {@code List<Object>}, integers {@code Long}.
 */
final class Json {
    private Json() {
    }

    static Object parse(String text) {
        return JsonReader.parse(text);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> array(Object o) {
        return (List<Object>) o;
    }

    static int[] ints(Object o) {
        return array(o).stream().mapToInt(v -> ((Long) v).intValue()).toArray();
    }
}
