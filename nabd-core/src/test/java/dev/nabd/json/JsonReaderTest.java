package dev.nabd.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict JSON reader: what it returns, and where and why it refuses. */
class JsonReaderTest {

    @Test
    void valuesBecomePlainJavaObjects() {
        Object v = JsonReader.parse(" {\"a\": [1, -2.5e1, true, false, null], \"b\": {\"c\": \"d\"}, \"e\": 0} ");
        assertThat(v).isEqualTo(Map.of("a", java.util.Arrays.asList(1L, -25.0, true, false, null),
                "b", Map.of("c", "d"), "e", 0L));
    }

    @Test
    void objectsKeepFileOrder() {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) JsonReader.parse("{\"z\": 1, \"a\": 2, \"m\": 3}");
        assertThat(m.keySet()).containsExactly("z", "a", "m");
    }

    @Test
    void escapesAndUnicode() {
        assertThat(JsonReader.parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u4F60\"")).isEqualTo("\"\\/\b\f\n\r\té你");
        assertThat(JsonReader.parse("\"\\ud83d\\ude00 😀 مرحبا\"")).isEqualTo("😀 😀 مرحبا");
        // a lone surrogate escape is kept, as Python and JavaScript keep it
        assertThat(JsonReader.parse("\"\\ud800\"")).isEqualTo("\uD800");
    }

    @Test
    void numbers() {
        assertThat(JsonReader.parse("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
        assertThat(JsonReader.parse("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(JsonReader.parse("9223372036854775808")).isEqualTo(9.223372036854775808e18);
        assertThat(JsonReader.parse("-0.0")).isEqualTo(-0.0);
        assertThat(JsonReader.parse("1E+2")).isEqualTo(100.0);
        assertThat(JsonReader.parse("[]")).isEqualTo(List.of());
        assertThat(JsonReader.parse("{}")).isEqualTo(Map.of());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\": [1, 2|1|12|unexpected end of input, expected ',' or ']'",
            "{\"a\": 1,}|1|9|expected a string key",
            "[1, 2,]|1|7|unexpected ']', expected a value",
            "{\"a\": 1 \"b\": 2}|1|9|expected ',' or '}'",
            "{'a': 1}|1|2|expected a string key",
            "[01]|1|3|expected ',' or ']'",
            "[1.]|1|4|expected a digit after '.'",
            "[NaN]|1|2|expected a value",
            "[tru]|1|2|expected a value",
            "\"abc|1|5|unexpected end of input inside a string",
            "\"a\\x\"|1|4|invalid escape \\x",
            "\"\\u12G4\"|1|6|invalid hex digit 'G'",
            "[1] 2|1|5|unexpected '2' after the JSON value",
            "|1|1|unexpected end of input, expected a value",
            "{\"a\": 1, \"a\": 2}|1|10|duplicate key \"a\"",
    })
    void malformedInputNamesLineAndColumn(String text, int line, int column, String message) {
        assertThatThrownBy(() -> JsonReader.parse(text == null ? "" : text))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining(message)
                .hasMessageEndingWith("at line " + line + ", column " + column)
                .satisfies(e -> {
                    assertThat(((JsonParseException) e).line()).isEqualTo(line);
                    assertThat(((JsonParseException) e).column()).isEqualTo(column);
                });
    }

    @Test
    void errorsOnLaterLinesCountLines() {
        assertThatThrownBy(() -> JsonReader.parse("{\n  \"a\": 1,\n  \"b\": ]\n}"))
                .isInstanceOf(JsonParseException.class).hasMessage("unexpected ']', expected a value at line 3, column 8");
    }

    @Test
    void controlCharactersMustBeEscaped() {
        assertThatThrownBy(() -> JsonReader.parse("\"a\nb\""))
                .isInstanceOf(JsonParseException.class).hasMessageContaining("control character U+000A");
    }

    @Test
    void nestingIsLimited() {
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertThat(JsonReader.parse(ok)).isInstanceOf(List.class);
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> JsonReader.parse(deep))
                .isInstanceOf(JsonParseException.class).hasMessageContaining("nested deeper than 512");
    }
}
