package dev.nabd.chat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the statement tree from tokens, following Jinja 3.1's parser rule for rule (expressions are
 * {@link ExpressionParser}'s). Unknown tags, unclosed blocks, misplaced break/continue and unknown
 * filters or tests fail here with Jinja's messages; a filter or test only used inside an {@code if}
 * fails when it runs instead, as in Jinja. Tags that need a template loader (include, extends, ...)
 * are refused: a chat template is one self-contained file.
 */
final class Parser {
    private static final Set<String> KNOWN_TAGS = Set.of("if", "for", "set", "macro", "call", "filter", "with", "print",
            "break", "continue", "generation");
    private static final Set<String> UNSUPPORTED_TAGS = Set.of("block", "extends", "include", "import", "from", "autoescape");

    private final TokenStream in;
    private final ExpressionParser expr;
    private final Deque<String> tagStack = new ArrayDeque<>();
    private final Deque<List<String>> endTokenStack = new ArrayDeque<>();
    /** For loops around the current statement (within the current macro): break and continue need one. */
    private int loopDepth;

    private Parser(List<Token> tokens) {
        this.in = new TokenStream(tokens);
        this.expr = new ExpressionParser(in);
    }

    static List<Node> parse(String source) {
        Parser p = new Parser(Lexer.tokenize(source));
        List<Node> body = p.subparse(null);
        if (!p.in.current().is(Token.Type.EOF)) {
            throw p.in.fail("unexpected " + PyRepr.repr(p.in.current().describe()), p.in.current().line());
        }
        return body;
    }

    // ---- statements -----------------------------------------------------------------------------------

    private List<Node> subparse(List<String> endTokens) {
        List<Node> body = new ArrayList<>();
        if (endTokens != null) {
            endTokenStack.push(endTokens);
        }
        try {
            while (!in.current().is(Token.Type.EOF)) {
                Token t = in.current();
                switch (t.type()) {
                    case DATA -> {
                        body.add(new Node.Text(t.text(), t.line()));
                        in.next();
                    }
                    case VARIABLE_BEGIN -> {
                        in.next();
                        Expr e = expr.parseTuple(true, List.of(), false);
                        body.add(new Node.Print(e, t.line()));
                        in.expect(Token.Type.VARIABLE_END, "end of print statement");
                    }
                    case BLOCK_BEGIN -> {
                        in.next();
                        if (endTokens != null && in.current().is(Token.Type.NAME) && endTokens.contains(in.current().text())) {
                            return body;
                        }
                        body.add(parseStatement());
                        in.expect(Token.Type.BLOCK_END, "end of statement block");
                    }
                    default -> throw in.fail("unexpected " + PyRepr.repr(t.describe()), t.line());
                }
            }
        } finally {
            if (endTokens != null) {
                endTokenStack.pop();
            }
        }
        return body;
    }

    private Node parseStatement() {
        Token t = in.current();
        if (!t.is(Token.Type.NAME)) {
            throw in.fail("tag name expected", t.line());
        }
        String tag = t.text();
        if (UNSUPPORTED_TAGS.contains(tag)) {
            throw in.fail("the '" + tag + "' tag is not supported in chat templates", t.line());
        }
        if (!KNOWN_TAGS.contains(tag)) {
            throw unknownTag(tag, t.line());
        }
        tagStack.push(tag);
        try {
            return switch (tag) {
                case "if" -> parseIf();
                case "for" -> parseFor();
                case "set" -> parseSet();
                case "macro" -> parseMacro();
                case "call" -> parseCallBlock();
                case "filter" -> parseFilterBlock();
                case "with" -> parseWith();
                case "print" -> parsePrint();
                case "break", "continue" -> {
                    in.next();
                    if (loopDepth == 0) {
                        // Jinja compiles the tag to Python's own break, which Python rejects outside a loop
                        throw in.fail("'" + tag + "' outside loop", t.line());
                    }
                    yield new Node.LoopControl(tag.equals("break"), t.line());
                }
                case "generation" -> {
                    in.next();
                    yield new Node.Generation(parseStatements(List.of("endgeneration"), true), t.line());
                }
                default -> throw new IllegalStateException(tag);
            };
        } finally {
            tagStack.pop();
        }
    }

    /** Jinja's messages for an unknown tag or a template that ends inside a block. */
    private JinjaError unknownTag(String name, int line) {
        Set<String> expected = new LinkedHashSet<>();
        for (List<String> ends : endTokenStack) {
            expected.addAll(ends);
        }
        String lookingFor = endTokenStack.isEmpty() ? null
                : String.join(" or ", endTokenStack.peek().stream().map(PyRepr::repr).toList());
        List<String> message = new ArrayList<>();
        message.add(name == null ? "Unexpected end of template." : "Encountered unknown tag " + PyRepr.repr(name) + ".");
        if (lookingFor != null) {
            if (name != null && expected.contains(name)) {
                message.add("You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for "
                        + lookingFor + ".");
            } else {
                message.add("Jinja was looking for the following tags: " + lookingFor + ".");
            }
        }
        if (!tagStack.isEmpty()) {
            message.add("The innermost block that needs to be closed is " + PyRepr.repr(tagStack.peek()) + ".");
        }
        return in.fail(String.join(" ", message), line);
    }

    /** A block body up to one of {@code endTokens}; the current token is then that end tag's name. */
    private List<Node> parseStatements(List<String> endTokens, boolean dropNeedle) {
        in.skipOperator(":");
        in.expect(Token.Type.BLOCK_END, "end of statement block");
        List<Node> body = subparse(endTokens);
        if (in.current().is(Token.Type.EOF)) {
            endTokenStack.push(endTokens);
            try {
                throw unknownTag(null, in.current().line());
            } finally {
                endTokenStack.pop();
            }
        }
        if (dropNeedle) {
            in.next();
        }
        return body;
    }

    private Node parseIf() {
        int line = in.expectName("if").line();
        boolean wasSoft = expr.soft;
        expr.soft = true;
        try {
            List<Node.Branch> branches = new ArrayList<>();
            List<Node> otherwise = List.of();
            while (true) {
                Expr test = expr.parseTuple(false, List.of(), false);
                List<Node> body = parseStatements(List.of("elif", "else", "endif"), false);
                branches.add(new Node.Branch(test, body));
                Token t = in.next();
                if (t.isName("elif")) {
                    continue;
                }
                if (t.isName("else")) {
                    otherwise = parseStatements(List.of("endif"), true);
                }
                break;
            }
            return new Node.If(branches, otherwise, line);
        } finally {
            expr.soft = wasSoft;
        }
    }

    private Node parseFor() {
        int line = in.expectName("for").line();
        Node.Target target = parseAssignTarget(List.of("in"), false);
        in.expectName("in");
        Expr iterable = expr.parseTuple(false, List.of("recursive"), false);
        boolean wasSoft = expr.soft;
        expr.soft = false;
        try {
            Expr filter = null;
            if (in.skipName("if")) {
                filter = expr.parseExpression(true);
            }
            boolean recursive = in.skipName("recursive");
            loopDepth++;
            List<Node> body;
            try {
                body = parseStatements(List.of("endfor", "else"), false);
            } finally {
                loopDepth--;
            }
            List<Node> otherwise = List.of();
            if (!in.next().isName("endfor")) {
                otherwise = parseStatements(List.of("endfor"), true);
            }
            return new Node.For(target, iterable, filter, recursive, body, otherwise, line);
        } finally {
            expr.soft = wasSoft;
        }
    }

    private Node parseSet() {
        int line = in.next().line();
        Node.Target target = parseAssignTarget(List.of(), true);
        if (in.skipOperator("=")) {
            return new Node.Set(target, expr.parseTuple(true, List.of(), false), line);
        }
        boolean wasSoft = expr.soft;
        expr.soft = false;
        try {
            Expr filter = expr.parseFilter(null, false);
            List<Node> body = parseStatements(List.of("endset"), true);
            return new Node.SetBlock(target, filter, body, line);
        } finally {
            expr.soft = wasSoft;
        }
    }

    private List<Node.Param> parseSignature() {
        List<Node.Param> params = new ArrayList<>();
        boolean defaults = false;
        in.expectOperator("(");
        while (!in.current().isOperator(")")) {
            if (!params.isEmpty()) {
                in.expectOperator(",");
            }
            Token name = in.expect(Token.Type.NAME, "name");
            checkAssignable(name);
            Expr def = null;
            if (in.skipOperator("=")) {
                def = expr.parseExpression(true);
                defaults = true;
            } else if (defaults) {
                throw in.fail("non-default argument follows default argument", name.line());
            }
            params.add(new Node.Param(name.text(), def));
        }
        in.expectOperator(")");
        return params;
    }

    private void checkAssignable(Token name) {
        if (List.of("true", "false", "none", "True", "False", "None").contains(name.text())) {
            throw in.fail("can't assign to 'const'", name.line());
        }
    }

    private Node parseMacro() {
        int line = in.next().line();
        Token name = in.expect(Token.Type.NAME, "name");
        checkAssignable(name);
        boolean wasSoft = expr.soft;
        expr.soft = false;
        try {
            List<Node.Param> params = parseSignature();
            int loops = loopDepth;
            loopDepth = 0;
            try {
                return macro(name.text(), params, parseStatements(List.of("endmacro"), true), line);
            } finally {
                loopDepth = loops;
            }
        } finally {
            expr.soft = wasSoft;
        }
    }

    private static Node.MacroDef macro(String name, List<Node.Param> params, List<Node> body, int line) {
        Set<String> used = NameFinder.find(body, Set.of("caller", "varargs", "kwargs"));
        if (used.contains("caller") && params.stream().anyMatch(p -> p.name().equals("caller") && p.defaultValue() == null)) {
            throw TokenStream.assertion("When defining macros or call blocks the special \"caller\" argument must be omitted"
                    + " or be given a default.", line);
        }
        return new Node.MacroDef(name, params, body, used.contains("caller"), used.contains("varargs"),
                used.contains("kwargs"), line);
    }

    private Node parseCallBlock() {
        int line = in.next().line();
        boolean wasSoft = expr.soft;
        expr.soft = false;
        try {
            List<Node.Param> params = in.current().isOperator("(") ? parseSignature() : List.of();
            Expr call = expr.parseExpression(true);
            if (!(call instanceof Expr.Call c)) {
                throw in.fail("expected call", line);
            }
            int loops = loopDepth;
            loopDepth = 0;
            try {
                List<Node> body = parseStatements(List.of("endcall"), true);
                return new Node.CallBlock(c, macro(null, params, body, line), line);
            } finally {
                loopDepth = loops;
            }
        } finally {
            expr.soft = wasSoft;
        }
    }

    private Node parseFilterBlock() {
        int line = in.next().line();
        boolean wasSoft = expr.soft;
        expr.soft = false;
        try {
            Expr filter = expr.parseFilter(null, true);
            List<Node> body = parseStatements(List.of("endfilter"), true);
            return new Node.FilterBlock(filter, body, line);
        } finally {
            expr.soft = wasSoft;
        }
    }

    private Node parseWith() {
        int line = in.next().line();
        List<Node.Target> targets = new ArrayList<>();
        List<Expr> values = new ArrayList<>();
        while (!in.current().is(Token.Type.BLOCK_END)) {
            if (!targets.isEmpty()) {
                in.expectOperator(",");
            }
            targets.add(parseAssignTarget(List.of(), false));
            in.expectOperator("=");
            values.add(expr.parseExpression(true));
        }
        boolean wasSoft = expr.soft;
        expr.soft = false;
        try {
            return new Node.With(targets, values, parseStatements(List.of("endwith"), true), line);
        } finally {
            expr.soft = wasSoft;
        }
    }

    private Node parsePrint() {
        int line = in.next().line();
        List<Expr> items = new ArrayList<>();
        while (!in.current().is(Token.Type.BLOCK_END)) {
            if (!items.isEmpty()) {
                in.expectOperator(",");
            }
            items.add(expr.parseExpression(true));
        }
        // {% print a, b %} prints each expression in turn
        List<Node> prints = new ArrayList<>();
        for (Expr e : items) {
            prints.add(new Node.Print(e, line));
        }
        return new Node.With(List.of(), List.of(), prints, line);
    }

    /** A name, {@code ns.attr} (with {@code withNamespace}) or a tuple of names. */
    private Node.Target parseAssignTarget(List<String> extraEndRules, boolean withNamespace) {
        List<Node.Target> items = new ArrayList<>();
        boolean isTuple = false;
        while (true) {
            if (!items.isEmpty()) {
                in.expectOperator(",");
            }
            if (expr.isTupleEnd(extraEndRules)) {
                break;
            }
            items.add(parseSingleTarget(withNamespace));
            if (in.current().isOperator(",")) {
                isTuple = true;
            } else {
                break;
            }
        }
        if (!isTuple) {
            if (items.isEmpty()) {
                throw in.fail("Expected an expression, got " + PyRepr.repr(in.current().describe()), in.current().line());
            }
            return items.get(0);
        }
        return new Node.TupleTarget(items);
    }

    private Node.Target parseSingleTarget(boolean withNamespace) {
        Token t = in.current();
        if (t.isOperator("(")) {
            in.next();
            Node.Target inner = parseAssignTarget(List.of(), false);
            in.expectOperator(")");
            return inner;
        }
        if (!t.is(Token.Type.NAME)) {
            throw in.fail("can't assign to " + PyRepr.repr(t.is(Token.Type.STRING) || t.is(Token.Type.INTEGER)
                    || t.is(Token.Type.FLOAT) ? "const" : t.describe()), t.line());
        }
        checkAssignable(t);
        in.next();
        if (withNamespace && in.current().isOperator(".")) {
            in.next();
            Token attr = in.expect(Token.Type.NAME, "name");
            return new Node.NamespaceTarget(t.text(), attr.text(), t.line());
        }
        return new Node.NameTarget(t.text());
    }
}
