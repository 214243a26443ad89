package dev.nabd.chat;

import java.util.List;

/** Statements of the template AST. */
sealed interface Node {
    int line();

    /** Literal template text. */
    record Text(String text, int line) implements Node {
    }

    /** {@code {{ expr }}}. */
    record Print(Expr expr, int line) implements Node {
    }

    record Branch(Expr test, List<Node> body) {
    }

    /** if / elif... / else. */
    record If(List<Branch> branches, List<Node> otherwise, int line) implements Node {
    }

    /** {@code for target in iterable [if filter] [recursive]} ... {@code else} ... */
    record For(Target target, Expr iterable, Expr filter, boolean recursive, List<Node> body, List<Node> otherwise,
               int line) implements Node {
    }

    /** {@code {% set target = value %}}. */
    record Set(Target target, Expr value, int line) implements Node {
    }

    /** {@code {% set target | filters %}body{% endset %}}; {@code filter} applies to the body text (may be null). */
    record SetBlock(Target target, Expr filter, List<Node> body, int line) implements Node {
    }

    record Param(String name, Expr defaultValue) {
    }

    /**
     * A macro's signature and body. The flags say whether the body uses {@code caller}, {@code varargs}
     * or {@code kwargs}, which decides what the macro accepts, as in Jinja.
     */
    record MacroDef(String name, List<Param> params, List<Node> body, boolean usesCaller, boolean usesVarargs,
                    boolean usesKwargs, int line) implements Node {
    }

    /** {@code {% call(params) macro(args) %}body{% endcall %}}: the body becomes {@code caller}. */
    record CallBlock(Expr.Call call, MacroDef caller, int line) implements Node {
    }

    /** {@code {% filter name(args) %}body{% endfilter %}}. */
    record FilterBlock(Expr filter, List<Node> body, int line) implements Node {
    }

    /** {@code {% with a = 1, b = 2 %}}...: a new scope. */
    record With(List<Target> targets, List<Expr> values, List<Node> body, int line) implements Node {
    }

    /** {@code break} or {@code continue} (Jinja's loopcontrols extension). */
    record LoopControl(boolean isBreak, int line) implements Node {
    }

    /** transformers' {@code {% generation %}} block: renders its body unchanged. */
    record Generation(List<Node> body, int line) implements Node {
    }

    /** Where a set or for loop stores values. */
    sealed interface Target {
    }

    record NameTarget(String name) implements Target {
    }

    /** {@code ns.attr}: the only attribute assignment Jinja allows, and only on a namespace. */
    record NamespaceTarget(String namespace, String attribute, int line) implements Target {
    }

    /** {@code a, b}: unpacks a sequence. */
    record TupleTarget(List<Target> items) implements Target {
    }
}
