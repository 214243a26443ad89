package dev.nabd.chat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One small template per Jinja feature and error case, with the output (or the error) Python's Jinja2
 * 3.1 gives under transformers' settings: {@code src/test/resources/chat/jinja_features.jsonl}, written
 * by {@code generate_fixtures.py} beside it.
 */
class JinjaFeaturesTest {
    /** The instant generate_fixtures.py gives strftime_now. */
    static final Clock FIXTURE_CLOCK = Clock.fixed(LocalDateTime.of(2024, 7, 26, 9, 5, 3).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    @SuppressWarnings("unchecked")
    Stream<DynamicTest> everyFeatureCase() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (InputStream in = JinjaFeaturesTest.class.getResourceAsStream("/chat/jinja_features.jsonl");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Map<String, Object> c = JSON.readValue(line, Map.class);
                tests.add(DynamicTest.dynamicTest((String) c.get("id"), () -> check(c)));
            }
        }
        assertThat(tests).hasSizeGreaterThan(150);
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    private static void check(Map<String, Object> c) {
        String template = (String) c.get("template");
        Map<String, Object> context = (Map<String, Object>) c.get("context");
        String expected = (String) c.get("rendered");
        String rendered = null;
        TemplateException error = null;
        try {
            rendered = ChatTemplate.parse(template).withClock(FIXTURE_CLOCK).render(context);
        } catch (TemplateException e) {
            error = e;
        }
        if (expected != null) {
            assertThat(error).as("template %s", template).isNull();
            assertThat(rendered).as("template %s", template).isEqualTo(expected);
            return;
        }
        String type = (String) c.get("error_type");
        assertThat(error).as("template %s should fail with %s: %s, gave %s", template, type, c.get("error"), rendered).isNotNull();
        if (type.equals("TemplateError")) {
            assertThat(error.raisedByTemplate()).isTrue();
            assertThat(error.detail()).isEqualTo(c.get("error"));
        } else {
            assertThat(error.detail()).isEqualTo(type + ": " + c.get("error"));
        }
        if (c.get("line") != null) {
            assertThat(error.line()).as("line of %s", error.getMessage()).isEqualTo(((Number) c.get("line")).intValue());
        }
    }
}
