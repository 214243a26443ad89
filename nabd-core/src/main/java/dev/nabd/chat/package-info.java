/**
 * Chat templates: a small, strict Jinja2 interpreter that renders a model's {@code chat_template}
 * byte for byte as Hugging Face's {@code apply_chat_template} does (Jinja 3.1 in transformers' sandboxed
 * environment). The one public entry point is {@link dev.nabd.chat.ChatTemplate}; errors are
 * {@link dev.nabd.chat.TemplateException}.
 *
 * <p>How it is put together, front to back:
 * <ul>
 *   <li>{@code Lexer} (+ {@code StringLiterals}) splits the source into {@code Token}s, with Jinja's
 *       whitespace control, trim_blocks and lstrip_blocks;</li>
 *   <li>{@code Parser} (statements) and {@code ExpressionParser} build the AST of {@code Node}s and
 *       {@code Expr}s, with Jinja's precedence and error messages;</li>
 *   <li>{@code Renderer} runs statements (scopes, loops, macros, limits) and {@code Evaluator} evaluates
 *       expressions with the sandbox's attribute and item rules;</li>
 *   <li>the built-ins: {@code Filters} and {@code SequenceFilters}, {@code Tests}, {@code Methods} (str,
 *       dict and list methods), {@code Globals} (range, namespace, raise_exception, strftime_now);</li>
 *   <li>Python's semantics for values: {@code Py} (truth, equality, ordering, iteration), {@code PyRepr}
 *       (printing), {@code PyOps} (arithmetic), {@code PyStrings}, {@code PyFormat}, {@code PyPercent},
 *       {@code PyJson} (json.dumps, for tojson) and the runtime types {@code Undefined}, {@code Markup},
 *       {@code PyTuple}, {@code PyRange}, {@code PyIterator}, {@code DictView}, {@code Namespace},
 *       {@code LoopContext}, {@code Macro}.</li>
 * </ul>
 * The golden data is Python itself: the shared templates.jsonl cases and the fixtures the test
 * resources' {@code generate_*.py} scripts write with Jinja2 3.1.
 */
package dev.nabd.chat;
