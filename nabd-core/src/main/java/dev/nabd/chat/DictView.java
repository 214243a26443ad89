package dev.nabd.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code dict.keys()}, {@code values()} and {@code items()} return: iterable, sized, not indexable. */
record DictView(Kind kind, Map<Object, Object> dict) {
    enum Kind { KEYS, VALUES, ITEMS }

    List<Object> items() {
        List<Object> out = new ArrayList<>(dict.size());
        for (Map.Entry<Object, Object> e : dict.entrySet()) {
            out.add(switch (kind) {
                case KEYS -> e.getKey();
                case VALUES -> e.getValue();
                case ITEMS -> PyTuple.of(e.getKey(), e.getValue());
            });
        }
        return out;
    }

    String typeName() {
        return switch (kind) {
            case KEYS -> "dict_keys";
            case VALUES -> "dict_values";
            case ITEMS -> "dict_items";
        };
    }
}
