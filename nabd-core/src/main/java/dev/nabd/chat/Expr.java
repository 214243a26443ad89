package dev.nabd.chat;

import java.util.List;

/** Expressions of the template AST. Every node keeps its source line for error messages. */
sealed interface Expr {
    int line();

    /** A literal: string, integer, float, boolean or none. */
    record Const(Object value, int line) implements Expr {
    }

    record Name(String name, int line) implements Expr {
    }

    /** {@code obj.name}: Python attribute first, then item. */
    record GetAttr(Expr object, String name, int line) implements Expr {
    }

    /** {@code obj[key]}: item first, then attribute. */
    record GetItem(Expr object, Expr key, int line) implements Expr {
    }

    /** {@code start:stop:step} inside brackets; absent parts are {@code null}. */
    record Slice(Expr start, Expr stop, Expr step, int line) implements Expr {
    }

    record Keyword(String name, Expr value) {
    }

    /** Arguments of a call, filter or test, including {@code *args} and {@code **kwargs}. */
    record CallArgs(List<Expr> positional, List<Keyword> keywords, Expr starArgs, Expr starKwargs) {
        static final CallArgs NONE = new CallArgs(List.of(), List.of(), null, null);
    }

    record Call(Expr callee, CallArgs args, int line) implements Expr {
    }

    /**
     * {@code value|name(args)}. {@code value} is {@code null} for the filter of a filter block or block set,
     * which applies to the rendered body.
     */
    record Filter(Expr value, String name, CallArgs args, int line) implements Expr {
    }

    /** {@code value is name(args)}. */
    record Test(Expr value, String name, CallArgs args, int line) implements Expr {
    }

    record Not(Expr operand, int line) implements Expr {
    }

    record And(Expr left, Expr right, int line) implements Expr {
    }

    record Or(Expr left, Expr right, int line) implements Expr {
    }

    /** {@code then if test else otherwise}; {@code otherwise} may be {@code null}. */
    record Conditional(Expr test, Expr then, Expr otherwise, int line) implements Expr {
    }

    /** Arithmetic: {@code + - * / // % **}. */
    record Binary(String op, Expr left, Expr right, int line) implements Expr {
    }

    /** Unary {@code -} or {@code +}. */
    record Unary(String op, Expr operand, int line) implements Expr {
    }

    /** {@code a ~ b ~ c}: the string forms joined. */
    record Concat(List<Expr> parts, int line) implements Expr {
    }

    record Operand(String op, Expr value) {
    }

    /** A comparison chain {@code a < b <= c}; ops are {@code == != < <= > >= in notin}. */
    record Compare(Expr first, List<Operand> rest, int line) implements Expr {
    }

    record ListLiteral(List<Expr> items, int line) implements Expr {
    }

    record TupleLiteral(List<Expr> items, int line) implements Expr {
    }

    record Pair(Expr key, Expr value) {
    }

    record DictLiteral(List<Pair> pairs, int line) implements Expr {
    }
}
