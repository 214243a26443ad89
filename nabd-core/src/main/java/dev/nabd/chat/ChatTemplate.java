package dev.nabd.chat;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A chat template (the Jinja2 {@code chat_template} of a model's tokenizer_config.json or GGUF file),
 * rendered exactly as Hugging Face's {@code apply_chat_template} renders it: Jinja 3.1 semantics with
 * {@code trim_blocks} and {@code lstrip_blocks}, Python's printing of values, and transformers'
 * {@code tojson}, {@code raise_exception} and {@code strftime_now}.
 *
 * <p>Values passed in are plain Java objects: {@code String}, {@code Boolean}, numbers, {@code List},
 * {@code Map} (insertion order is kept, as Python dicts keep it) and {@code null} for None. Rendering
 * is strict: an error never yields a partial prompt, it throws {@link TemplateException}.
 *
 * <pre>{@code
 * ChatTemplate t = ChatTemplate.parse(source);
 * String prompt = t.apply(messages, null, true, Map.of("bos_token", "<s>", "enable_thinking", false));
 * }</pre>
 *
 * Instances are immutable and safe to share between threads.
 */
public final class ChatTemplate {
    private final List<Node> body;
    private final Clock clock;
    private final Renderer.Limits limits;

    private ChatTemplate(List<Node> body, Clock clock, Renderer.Limits limits) {
        this.body = body;
        this.clock = clock;
        this.limits = limits;
    }

    /**
     * Parses a template.
     *
     * @throws TemplateException on a syntax error (unclosed block, unknown tag or filter, ...)
     */
    public static ChatTemplate parse(String source) {
        Objects.requireNonNull(source, "source");
        try {
            return new ChatTemplate(Parser.parse(source), Clock.systemDefaultZone(), Renderer.Limits.DEFAULT);
        } catch (JinjaError e) {
            throw e.toTemplateException();
        } catch (StackOverflowError e) {
            throw new TemplateException("TemplateSyntaxError: the template nests too deeply to parse", 0, false, null);
        }
    }

    /** The same template with {@code strftime_now} reading {@code clock} (local date and time of its zone). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(body, Objects.requireNonNull(clock, "clock"), limits);
    }

    /** The same template with other resource limits (tests use small ones). */
    ChatTemplate withLimits(Renderer.Limits limits) {
        return new ChatTemplate(body, clock, limits);
    }

    /**
     * Renders the template with {@code context} as its variables.
     *
     * @throws TemplateException when rendering fails, including a template's own {@code raise_exception}
     * @throws IllegalArgumentException when a value is of a type templates cannot use
     */
    public String render(Map<String, ?> context) {
        Renderer renderer = new Renderer(limits);
        Scope scope = new Scope(Globals.scope(clock));
        for (Map.Entry<String, ?> e : context.entrySet()) {
            scope.set(e.getKey(), Py.normalize(e.getValue()));
        }
        StringBuilder out = new StringBuilder();
        try {
            renderer.render(body, scope, out);
        } catch (JinjaError e) {
            throw e.toTemplateException();
        } catch (StackOverflowError e) {
            throw new TemplateException("RecursionError: the template nests too deeply for the thread's stack", 0, false, null);
        } catch (RuntimeException e) {
            // a bug in nabd, not in the template: still never return a partial prompt
            throw new TemplateException("InternalError: " + e, 0, false, e);
        }
        return out.toString();
    }

    /**
     * Renders a conversation as transformers' {@code apply_chat_template(tokenize=False)} does: the
     * template sees {@code messages}, {@code tools} (None when {@code null}), {@code documents} (None),
     * {@code add_generation_prompt}, and every entry of {@code variables} (special tokens such as
     * {@code bos_token}, and extra arguments such as {@code enable_thinking}).
     *
     * @param messages            the conversation, each message a map with {@code role}, {@code content}
     *                            and optionally {@code tool_calls}, {@code reasoning_content}, ...
     * @param tools               tool definitions (JSON-schema maps), or {@code null}
     * @param addGenerationPrompt whether to end with the header of an assistant turn
     * @param variables           further template variables; later entries win over the fixed ones
     */
    public String apply(List<?> messages, List<?> tools, boolean addGenerationPrompt, Map<String, ?> variables) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("messages", messages);
        context.put("tools", tools);
        context.put("documents", null);
        context.put("add_generation_prompt", addGenerationPrompt);
        if (variables != null) {
            context.putAll(variables);
        }
        return render(context);
    }
}
