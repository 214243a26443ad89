package dev.nabd.chat;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public API, the error cases and the resource limits. */
class ChatTemplateTest {

    private static String render(String template, Map<String, ?> context) {
        return ChatTemplate.parse(template).render(context);
    }

    private static TemplateException renderError(String template, Map<String, ?> context) {
        try {
            String out = ChatTemplate.parse(template).render(context);
            throw new AssertionError("expected an error, got " + out);
        } catch (TemplateException e) {
            return e;
        }
    }

    private static TemplateException parseError(String template) {
        try {
            ChatTemplate.parse(template);
            throw new AssertionError("expected a syntax error");
        } catch (TemplateException e) {
            return e;
        }
    }

    @Test
    void applyPassesWhatTransformersPasses() {
        ChatTemplate t = ChatTemplate.parse("{{ messages|length }}|{{ tools }}|{{ documents }}|{{ add_generation_prompt }}"
                + "|{{ bos_token }}|{{ enable_thinking }}|{{ tools is none }}");
        String out = t.apply(List.of(Map.of("role", "user", "content", "hi")), null, true,
                Map.of("bos_token", "<s>", "enable_thinking", false));
        assertThat(out).isEqualTo("1|None|None|True|<s>|False|True");
    }

    @Test
    void javaValuesBecomePythonValues() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("z", 1);
        message.put("a", new Object[] {1.5f, (short) 2, null, true});
        message.put("big", java.math.BigDecimal.valueOf(0.1));
        String out = render("{{ m }} {{ m|tojson }} {{ m.a[1] + 1 }}", Map.of("m", message));
        assertThat(out).isEqualTo("{'z': 1, 'a': [1.5, 2, None, True], 'big': 0.1} "
                + "{\"z\": 1, \"a\": [1.5, 2, null, true], \"big\": 0.1} 3");
        assertThatThrownBy(() -> render("{{ x }}", Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void anUndefinedVariablePrintsAsNothingButFailsAsAString() {
        assertThat(render("[{{ name }}]", Map.of())).isEqualTo("[]");
        TemplateException e = renderError("line one\n{{ 'Hello ' + name }}", Map.of());
        assertThat(e.detail()).isEqualTo("UndefinedError: 'name' is undefined");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.raisedByTemplate()).isFalse();
        assertThat(e.getMessage()).isEqualTo("chat template line 2: UndefinedError: 'name' is undefined");
    }

    @Test
    void anUndefinedVariableIteratesAsEmptyButItsAttributesFail() {
        assertThat(render("{% for m in nothing %}x{% else %}empty{% endfor %}", Map.of())).isEqualTo("empty");
        assertThat(renderError("{{ nothing.content }}", Map.of()).detail()).isEqualTo("UndefinedError: 'nothing' is undefined");
        assertThat(renderError("{{ m.content.strip() }}", Map.of("m", Map.of("role", "user"))).detail())
                .isEqualTo("UndefinedError: 'dict object' has no attribute 'content'");
    }

    @Test
    void anUnknownFilterFailsAtParseTimeOutsideAnIf() {
        TemplateException e = parseError("ok\n{{ x|frobnicate }}");
        assertThat(e.detail()).isEqualTo("TemplateAssertionError: No filter named 'frobnicate'.");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.getMessage()).isEqualTo("chat template line 2: TemplateAssertionError: No filter named 'frobnicate'.");
        // inside an if Jinja only complains when the filter actually runs
        ChatTemplate t = ChatTemplate.parse("{% if go %}{{ x|frobnicate }}{% endif %}done");
        assertThat(t.render(Map.of("go", false))).isEqualTo("done");
        assertThatThrownBy(() -> t.render(Map.of("go", true))).isInstanceOf(TemplateException.class)
                .hasMessage("chat template line 1: TemplateRuntimeError: No filter named 'frobnicate' found.");
    }

    @Test
    void aJinjaFilterNabdDoesNotImplementFailsClearlyWhenUsed() {
        ChatTemplate t = ChatTemplate.parse("{% if x %}{{ x|urlize }}{% endif %}");
        assertThat(t.render(Map.of("x", ""))).isEmpty();
        assertThatThrownBy(() -> t.render(Map.of("x", "a"))).hasMessageContaining("filter 'urlize' is not supported");
    }

    @Test
    void anUnclosedBlockNamesWhatIsMissing() {
        TemplateException e = parseError("{% for m in messages %}\n{% if m.role == 'user' %}\n{{ m.content }}\n{% endfor %}");
        assertThat(e.detail()).isEqualTo("TemplateSyntaxError: Encountered unknown tag 'endfor'. You probably made a nesting"
                + " mistake. Jinja is expecting this tag, but currently looking for 'elif' or 'else' or 'endif'. The innermost"
                + " block that needs to be closed is 'if'.");
        assertThat(e.line()).isEqualTo(4);
        assertThat(parseError("{% if x %}\nyes").detail()).isEqualTo("TemplateSyntaxError: Unexpected end of template. Jinja"
                + " was looking for the following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed is 'if'.");
        assertThat(parseError("{{ x ").detail()).isEqualTo("TemplateSyntaxError: unexpected end of template, expected 'end of print statement'.");
        assertThat(parseError("{# note").detail()).isEqualTo("TemplateSyntaxError: Missing end of comment tag");
        assertThat(parseError("{% raw %}x").detail()).isEqualTo("TemplateSyntaxError: Missing end of raw directive");
    }

    @Test
    void tagsThatNeedALoaderAreRefused() {
        assertThat(parseError("{% include 'other.jinja' %}").detail())
                .isEqualTo("TemplateSyntaxError: the 'include' tag is not supported in chat templates");
        assertThat(parseError("{% extends 'base' %}").detail()).contains("'extends' tag is not supported");
    }

    @Test
    void breakAndContinueOnlyInsideALoop() {
        assertThat(parseError("a\n{% break %}").detail()).isEqualTo("TemplateSyntaxError: 'break' outside loop");
        assertThat(parseError("a\n{% break %}").line()).isEqualTo(2);
        assertThat(parseError("{% for x in y %}{% macro m() %}{% continue %}{% endmacro %}{% endfor %}").detail())
                .isEqualTo("TemplateSyntaxError: 'continue' outside loop");
    }

    @Test
    void raiseExceptionStopsWithTheTemplatesOwnMessage() {
        ChatTemplate t = ChatTemplate.parse("{% for m in messages %}\n{% if m.role == 'tool' %}\n"
                + "{{ raise_exception('Tool messages are not supported: ' ~ m.content) }}\n{% endif %}{{ m.content }}\n{% endfor %}");
        TemplateException e = null;
        try {
            t.apply(List.of(Map.of("role", "user", "content", "a"), Map.of("role", "tool", "content", "42")), null, false, Map.of());
        } catch (TemplateException x) {
            e = x;
        }
        assertThat(e).isNotNull();
        assertThat(e.raisedByTemplate()).isTrue();
        assertThat(e.detail()).isEqualTo("Tool messages are not supported: 42");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).isEqualTo("chat template line 3: raise_exception: Tool messages are not supported: 42");
    }

    @Test
    void runawayMacroRecursionIsStopped() {
        TemplateException e = renderError("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", Map.of());
        assertThat(e.detail()).isEqualTo("RecursionError: calls nested more than 200 deep (runaway recursion in macro 'f')");
        assertThat(e.line()).isEqualTo(1);
        // bounded recursion is fine
        assertThat(render("{% macro f(n) %}{% if n %}{{ n }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(150) }}", Map.of()))
                .startsWith("150149148").endsWith("321");
    }

    /** A recursive loop that calls itself on the same items forever stops at the same depth, naming its line. */
    @Test
    void runawayLoopRecursionIsStopped() {
        TemplateException e = renderError("start\n{% for n in tree recursive %}\n{{ loop(tree) }}{% endfor %}",
                Map.of("tree", List.of(1)));
        assertThat(e.detail()).isEqualTo("RecursionError: calls nested more than 200 deep (runaway recursion in a recursive for loop)");
        assertThat(e.line()).isEqualTo(3);
        // a real tree nests as deep as it is
        Map<String, Object> leaf = Map.of("name", "c", "children", List.of());
        Map<String, Object> tree = Map.of("name", "a", "children", List.of(Map.of("name", "b", "children", List.of(leaf))));
        assertThat(render("{% for n in t recursive %}{{ n.name }}{{ loop.depth }}{{ loop(n.children) }}{% endfor %}",
                Map.of("t", List.of(tree)))).isEqualTo("a1b2c3");
    }

    @Test
    void runawayLoopsAndHugeOutputAreStopped() {
        ChatTemplate small = ChatTemplate.parse("{% for i in range(1000) %}{% for j in range(1000) %}x{% endfor %}{% endfor %}")
                .withLimits(new Renderer.Limits(50, 10_000, 1 << 20));
        assertThat(assertThrowsTemplate(() -> small.render(Map.of())).detail())
                .isEqualTo("LimitError: the template ran more than 10000 loop iterations (a runaway loop?)");
        ChatTemplate wide = ChatTemplate.parse("{% for i in range(100) %}{{ 'x' * 1000 }}{% endfor %}")
                .withLimits(new Renderer.Limits(50, 10_000, 50_000));
        assertThat(assertThrowsTemplate(() -> wide.render(Map.of())).detail())
                .isEqualTo("LimitError: the rendered text passed 50000 characters");
        assertThat(renderError("{{ 'x' * 100000000000 }}", Map.of()).detail()).startsWith("MemoryError: the template tried to build");
        assertThat(renderError("{{ range(1000000)|length }}", Map.of()).detail())
                .isEqualTo("OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).");
    }

    private static TemplateException assertThrowsTemplate(Runnable r) {
        try {
            r.run();
        } catch (TemplateException e) {
            return e;
        }
        throw new AssertionError("expected a TemplateException");
    }

    @Test
    void deeplyNestedExpressionsFailCleanly() {
        String deep = "{{ " + "(".repeat(100_000) + "1" + ")".repeat(100_000) + " }}";
        Thread t = new Thread(null, () -> assertThat(parseError(deep).detail()).contains("nests too deeply"), "small", 256 * 1024);
        t.start();
        assertThat(join(t)).isTrue();
    }

    private static boolean join(Thread t) {
        try {
            t.join();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void strftimeNowReadsTheClock() {
        Clock clock = Clock.fixed(LocalDateTime.of(2025, 1, 5, 17, 4, 9).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        ChatTemplate t = ChatTemplate.parse("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%A %-d %B, %I:%M %p') }}").withClock(clock);
        assertThat(t.render(Map.of())).isEqualTo("05 Jan 2025|Sunday 5 January, 05:04 PM");
    }

    @Test
    void theGenerationTagOfTransformersRendersItsBody() {
        assertThat(render("{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}"
                + "{% else %}[{{ m.content }}]{% endif %}{% endfor %}",
                Map.of("messages", List.of(Map.of("role", "user", "content", "q"), Map.of("role", "assistant", "content", "a")))))
                .isEqualTo("[q]a");
    }

    @Test
    void mapsKeepTheirOrderAndToJsonUsesPythonSeparators() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("type", "object");
        params.put("properties", Map.of("city", Map.of("type", "string")));
        Map<String, Object> tool = new LinkedHashMap<>();
        tool.put("name", "weather");
        tool.put("parameters", params);
        assertThat(render("{{ t|tojson }}\n{{ t|tojson(indent=2) }}", Map.of("t", tool))).isEqualTo(
                "{\"name\": \"weather\", \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}\n"
                        + "{\n  \"name\": \"weather\",\n  \"parameters\": {\n    \"type\": \"object\",\n    \"properties\": {\n"
                        + "      \"city\": {\n        \"type\": \"string\"\n      }\n    }\n  }\n}");
    }

    @Test
    void oneParsedTemplateRendersOnManyThreads() throws Exception {
        ChatTemplate t = ChatTemplate.parse("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}"
                + "{{ m.content }}{% endfor %}={{ ns.n }}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                results.add(pool.submit(() -> t.apply(List.of(Map.of("content", "a" + n), Map.of("content", "b")), null, false, Map.of())));
            }
            for (int i = 0; i < 64; i++) {
                assertThat(results.get(i).get()).isEqualTo("a" + i + "b=2");
            }
        } finally {
            pool.shutdown();
        }
    }
}
