package dev.nabd.chat;

import java.util.List;

/** The parser's cursor over the tokens, with Jinja's messages for a token that is not the expected one. */
final class TokenStream {
    private final List<Token> tokens;
    private int at;

    TokenStream(List<Token> tokens) {
        this.tokens = tokens;
    }

    Token current() {
        return tokens.get(at);
    }

    Token look() {
        return tokens.get(Math.min(at + 1, tokens.size() - 1));
    }

    Token next() {
        Token t = tokens.get(at);
        if (at < tokens.size() - 1) {
            at++;
        }
        return t;
    }

    JinjaError fail(String message, int line) {
        return JinjaError.syntax(message, line);
    }

    /** What Jinja raises for a filter or test it does not know when it compiles the template. */
    static JinjaError assertion(String message, int line) {
        return new JinjaError("TemplateAssertionError", message).at(line);
    }

    Token expect(Token.Type type, String description) {
        Token t = current();
        if (t.type() != type) {
            throw unexpected(t, description);
        }
        return next();
    }

    Token expectOperator(String op) {
        Token t = current();
        if (!t.isOperator(op)) {
            throw unexpected(t, op);
        }
        return next();
    }

    Token expectName(String name) {
        Token t = current();
        if (!t.isName(name)) {
            throw unexpected(t, name);
        }
        return next();
    }

    JinjaError unexpected(Token t, String expected) {
        if (t.is(Token.Type.EOF)) {
            return fail("unexpected end of template, expected " + PyRepr.repr(expected) + ".", t.line());
        }
        return fail("expected token " + PyRepr.repr(expected) + ", got " + PyRepr.repr(t.describe()), t.line());
    }

    boolean skipOperator(String op) {
        if (current().isOperator(op)) {
            next();
            return true;
        }
        return false;
    }

    boolean skipName(String name) {
        if (current().isName(name)) {
            next();
            return true;
        }
        return false;
    }
}
