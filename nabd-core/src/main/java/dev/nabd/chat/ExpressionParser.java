package dev.nabd.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses expressions, following Jinja 3.1's parser rule for rule, so precedence is Jinja's:
 * {@code or < and < not < comparisons (in, not in, ==, <, ...) < + - < ~ < * / // % < ** < unary -}, with
 * filters and {@code is} tests binding tighter than any operator ({@code -x|abs} is {@code abs(-x)}), and
 * {@code **} left-associative as in Jinja (not Python).
 */
final class ExpressionParser {
    private static final Set<String> COMPARE_OPS = Set.of("==", "!=", "<", "<=", ">", ">=");

    private final TokenStream in;
    /** Inside an if or conditional expression: unknown filters and tests fail only when they run, as in Jinja. */
    boolean soft;

    ExpressionParser(TokenStream in) {
        this.in = in;
    }

    boolean isTupleEnd(List<String> extraEndRules) {
        Token t = in.current();
        if (t.is(Token.Type.VARIABLE_END) || t.is(Token.Type.BLOCK_END) || t.isOperator(")")) {
            return true;
        }
        return t.is(Token.Type.NAME) && extraEndRules.contains(t.text());
    }

    Expr parseTuple(boolean withConditional, List<String> extraEndRules, boolean explicitParentheses) {
        int line = in.current().line();
        List<Expr> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) {
                in.expectOperator(",");
            }
            if (isTupleEnd(extraEndRules)) {
                break;
            }
            items.add(parseExpression(withConditional));
            if (in.current().isOperator(",")) {
                isTuple = true;
            } else {
                break;
            }
            line = in.current().line();
        }
        if (!isTuple) {
            if (!items.isEmpty()) {
                return items.get(0);
            }
            if (!explicitParentheses) {
                throw in.fail("Expected an expression, got " + PyRepr.repr(in.current().describe()), in.current().line());
            }
        }
        return new Expr.TupleLiteral(items, line);
    }

    Expr parseExpression(boolean withConditional) {
        return withConditional ? parseConditional() : parseOr();
    }

    private Expr parseConditional() {
        int line = in.current().line();
        boolean wasSoft = soft;
        Expr expr1 = parseOr();
        while (in.current().isName("if")) {
            in.next();
            soft = true;
            try {
                Expr test = parseOr();
                Expr otherwise = null;
                if (in.skipName("else")) {
                    otherwise = parseConditional();
                }
                expr1 = new Expr.Conditional(test, expr1, otherwise, line);
            } finally {
                soft = wasSoft;
            }
            line = in.current().line();
        }
        return expr1;
    }

    private Expr parseOr() {
        int line = in.current().line();
        Expr left = parseAnd();
        while (in.skipName("or")) {
            left = new Expr.Or(left, parseAnd(), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parseAnd() {
        int line = in.current().line();
        Expr left = parseNot();
        while (in.skipName("and")) {
            left = new Expr.And(left, parseNot(), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parseNot() {
        if (in.current().isName("not")) {
            int line = in.next().line();
            return new Expr.Not(parseNot(), line);
        }
        return parseCompare();
    }

    private Expr parseCompare() {
        int line = in.current().line();
        Expr first = parseMath1();
        List<Expr.Operand> rest = new ArrayList<>();
        while (true) {
            Token t = in.current();
            if (t.is(Token.Type.OPERATOR) && COMPARE_OPS.contains(t.text())) {
                in.next();
                rest.add(new Expr.Operand(t.text(), parseMath1()));
            } else if (in.skipName("in")) {
                rest.add(new Expr.Operand("in", parseMath1()));
            } else if (t.isName("not") && in.look().isName("in")) {
                in.next();
                in.next();
                rest.add(new Expr.Operand("notin", parseMath1()));
            } else {
                break;
            }
            line = in.current().line();
        }
        return rest.isEmpty() ? first : new Expr.Compare(first, rest, line);
    }

    private Expr parseMath1() {
        int line = in.current().line();
        Expr left = parseConcat();
        while (in.current().isOperator("+") || in.current().isOperator("-")) {
            String op = in.next().text();
            left = new Expr.Binary(op, left, parseConcat(), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parseConcat() {
        int line = in.current().line();
        List<Expr> parts = new ArrayList<>();
        parts.add(parseMath2());
        while (in.skipOperator("~")) {
            parts.add(parseMath2());
        }
        return parts.size() == 1 ? parts.get(0) : new Expr.Concat(parts, line);
    }

    private Expr parseMath2() {
        int line = in.current().line();
        Expr left = parsePow();
        while (in.current().isOperator("*") || in.current().isOperator("/") || in.current().isOperator("//") || in.current().isOperator("%")) {
            String op = in.next().text();
            left = new Expr.Binary(op, left, parsePow(), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parsePow() {
        int line = in.current().line();
        Expr left = parseUnary(true);
        while (in.skipOperator("**")) {
            left = new Expr.Binary("**", left, parseUnary(true), line);
            line = in.current().line();
        }
        return left;
    }

    private Expr parseUnary(boolean withFilter) {
        Token t = in.current();
        Expr node;
        if (t.isOperator("-") || t.isOperator("+")) {
            in.next();
            node = new Expr.Unary(t.text(), parseUnary(false), t.line());
        } else {
            node = parsePrimary();
        }
        node = parsePostfix(node);
        if (withFilter) {
            node = parseFilterExpr(node);
        }
        return node;
    }

    private Expr parsePrimary() {
        Token t = in.current();
        switch (t.type()) {
            case NAME -> {
                in.next();
                return switch (t.text()) {
                    case "true", "True" -> new Expr.Const(Boolean.TRUE, t.line());
                    case "false", "False" -> new Expr.Const(Boolean.FALSE, t.line());
                    case "none", "None" -> new Expr.Const(null, t.line());
                    default -> new Expr.Name(t.text(), t.line());
                };
            }
            case STRING -> {
                in.next();
                StringBuilder sb = new StringBuilder((String) t.value());
                while (in.current().is(Token.Type.STRING)) {
                    sb.append((String) in.next().value());
                }
                return new Expr.Const(sb.toString(), t.line());
            }
            case INTEGER, FLOAT -> {
                in.next();
                return new Expr.Const(t.value(), t.line());
            }
            default -> {
                if (t.isOperator("(")) {
                    in.next();
                    Expr e = parseTuple(true, List.of(), true);
                    in.expectOperator(")");
                    return e;
                }
                if (t.isOperator("[")) {
                    return parseList();
                }
                if (t.isOperator("{")) {
                    return parseDict();
                }
                if (t.is(Token.Type.EOF)) {
                    throw in.fail("unexpected end of template", t.line());
                }
                throw in.fail("unexpected " + PyRepr.repr(t.describe()), t.line());
            }
        }
    }

    private Expr parseList() {
        int line = in.expectOperator("[").line();
        List<Expr> items = new ArrayList<>();
        while (!in.current().isOperator("]")) {
            if (!items.isEmpty()) {
                in.expectOperator(",");
            }
            if (in.current().isOperator("]")) {
                break;
            }
            items.add(parseExpression(true));
        }
        in.expectOperator("]");
        return new Expr.ListLiteral(items, line);
    }

    private Expr parseDict() {
        int line = in.expectOperator("{").line();
        List<Expr.Pair> pairs = new ArrayList<>();
        while (!in.current().isOperator("}")) {
            if (!pairs.isEmpty()) {
                in.expectOperator(",");
            }
            if (in.current().isOperator("}")) {
                break;
            }
            Expr key = parseExpression(true);
            in.expectOperator(":");
            pairs.add(new Expr.Pair(key, parseExpression(true)));
        }
        in.expectOperator("}");
        return new Expr.DictLiteral(pairs, line);
    }

    private Expr parsePostfix(Expr node) {
        while (true) {
            Token t = in.current();
            if (t.isOperator(".") || t.isOperator("[")) {
                node = parseSubscript(node);
            } else if (t.isOperator("(")) {
                node = new Expr.Call(node, parseCallArgs(), t.line());
            } else {
                return node;
            }
        }
    }

    private Expr parseFilterExpr(Expr node) {
        while (true) {
            Token t = in.current();
            if (t.isOperator("|")) {
                node = parseFilter(node, false);
            } else if (t.isName("is")) {
                node = parseTest(node);
            } else if (t.isOperator("(")) {
                node = new Expr.Call(node, parseCallArgs(), t.line());
            } else {
                return node;
            }
        }
    }

    private Expr parseSubscript(Expr node) {
        Token t = in.next();
        if (t.isOperator(".")) {
            Token attr = in.next();
            if (attr.is(Token.Type.NAME)) {
                return new Expr.GetAttr(node, attr.text(), t.line());
            }
            if (!attr.is(Token.Type.INTEGER)) {
                throw in.fail("expected name or number", attr.line());
            }
            return new Expr.GetItem(node, new Expr.Const(attr.value(), attr.line()), t.line());
        }
        List<Expr> args = new ArrayList<>();
        while (!in.current().isOperator("]")) {
            if (!args.isEmpty()) {
                in.expectOperator(",");
            }
            args.add(parseSubscribed());
        }
        in.expectOperator("]");
        Expr key = args.size() == 1 ? args.get(0) : new Expr.TupleLiteral(args, t.line());
        return new Expr.GetItem(node, key, t.line());
    }

    private Expr parseSubscribed() {
        int line = in.current().line();
        Expr start = null;
        if (in.current().isOperator(":")) {
            in.next();
        } else {
            Expr e = parseExpression(true);
            if (!in.current().isOperator(":")) {
                return e;
            }
            in.next();
            start = e;
        }
        Expr stop = null;
        if (!in.current().isOperator(":") && !in.current().isOperator("]") && !in.current().isOperator(",")) {
            stop = parseExpression(true);
        }
        Expr step = null;
        if (in.current().isOperator(":")) {
            in.next();
            if (!in.current().isOperator("]") && !in.current().isOperator(",")) {
                step = parseExpression(true);
            }
        }
        return new Expr.Slice(start, stop, step, line);
    }

    private Expr.CallArgs parseCallArgs() {
        Token open = in.expectOperator("(");
        List<Expr> args = new ArrayList<>();
        List<Expr.Keyword> kwargs = new ArrayList<>();
        Expr dynArgs = null;
        Expr dynKwargs = null;
        boolean requireComma = false;
        while (!in.current().isOperator(")")) {
            if (requireComma) {
                in.expectOperator(",");
                if (in.current().isOperator(")")) {
                    break;
                }
            }
            if (in.current().isOperator("*")) {
                ensure(dynArgs == null && dynKwargs == null, open);
                in.next();
                dynArgs = parseExpression(true);
            } else if (in.current().isOperator("**")) {
                ensure(dynKwargs == null, open);
                in.next();
                dynKwargs = parseExpression(true);
            } else if (in.current().is(Token.Type.NAME) && in.look().isOperator("=")) {
                ensure(dynKwargs == null, open);
                String key = in.next().text();
                in.next();
                kwargs.add(new Expr.Keyword(key, parseExpression(true)));
            } else {
                ensure(dynArgs == null && dynKwargs == null && kwargs.isEmpty(), open);
                args.add(parseExpression(true));
            }
            requireComma = true;
        }
        in.expectOperator(")");
        return new Expr.CallArgs(args, kwargs, dynArgs, dynKwargs);
    }

    private void ensure(boolean ok, Token open) {
        if (!ok) {
            throw in.fail("invalid syntax for function call expression", open.line());
        }
    }

    /** A chain of filters; {@code startInline} for {@code {% filter name %}}, whose first name has no pipe. */
    Expr parseFilter(Expr node, boolean startInline) {
        while (in.current().isOperator("|") || startInline) {
            if (!startInline) {
                in.next();
            }
            Token name = in.expect(Token.Type.NAME, "name");
            String filterName = dottedName(name.text());
            if (!soft && !Filters.isKnown(filterName)) {
                throw TokenStream.assertion("No filter named " + PyRepr.repr(filterName) + ".", name.line());
            }
            Expr.CallArgs args = in.current().isOperator("(") ? parseCallArgs() : Expr.CallArgs.NONE;
            node = new Expr.Filter(node, filterName, args, name.line());
            startInline = false;
        }
        return node;
    }

    private String dottedName(String first) {
        StringBuilder name = new StringBuilder(first);
        while (in.current().isOperator(".")) {
            in.next();
            name.append('.').append(in.expect(Token.Type.NAME, "name").text());
        }
        return name.toString();
    }

    private Expr parseTest(Expr node) {
        Token is = in.next();
        boolean negated = in.skipName("not");
        Token name = in.expect(Token.Type.NAME, "name");
        String testName = dottedName(name.text());
        if (!soft && !Tests.isKnown(testName)) {
            throw TokenStream.assertion("No test named " + PyRepr.repr(testName) + ".", name.line());
        }
        Expr.CallArgs args;
        Token t = in.current();
        if (t.isOperator("(")) {
            args = parseCallArgs();
        } else if ((t.is(Token.Type.NAME) || t.is(Token.Type.STRING) || t.is(Token.Type.INTEGER) || t.is(Token.Type.FLOAT)
                || t.isOperator("[") || t.isOperator("{"))
                && !t.isName("else") && !t.isName("or") && !t.isName("and")) {
            if (t.isName("is")) {
                throw in.fail("You cannot chain multiple tests with is", t.line());
            }
            Expr arg = parsePostfix(parsePrimary());
            args = new Expr.CallArgs(List.of(arg), List.of(), null, null);
        } else {
            args = Expr.CallArgs.NONE;
        }
        Expr test = new Expr.Test(node, testName, args, is.line());
        return negated ? new Expr.Not(test, is.line()) : test;
    }
}
