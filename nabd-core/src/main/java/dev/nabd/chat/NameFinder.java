package dev.nabd.chat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Finds which of some names a macro body reads. Jinja decides from this whether a macro takes
 * {@code caller}, {@code varargs} and {@code kwargs}, which changes the calls it accepts.
 */
final class NameFinder {
    private final Set<String> wanted;
    private final Set<String> found = new HashSet<>();

    private NameFinder(Set<String> wanted) {
        this.wanted = wanted;
    }

    static Set<String> find(List<Node> body, Set<String> wanted) {
        NameFinder f = new NameFinder(wanted);
        f.nodes(body);
        return f.found;
    }

    private void nodes(List<Node> body) {
        for (Node n : body) {
            node(n);
        }
    }

    private void node(Node n) {
        switch (n) {
            case Node.Text t -> {
            }
            case Node.Print p -> expr(p.expr());
            case Node.If i -> {
                for (Node.Branch b : i.branches()) {
                    expr(b.test());
                    nodes(b.body());
                }
                nodes(i.otherwise());
            }
            case Node.For f -> {
                expr(f.iterable());
                expr(f.filter());
                nodes(f.body());
                nodes(f.otherwise());
            }
            case Node.Set s -> expr(s.value());
            case Node.SetBlock s -> {
                expr(s.filter());
                nodes(s.body());
            }
            case Node.MacroDef m -> {
                for (Node.Param p : m.params()) {
                    expr(p.defaultValue());
                }
                nodes(m.body());
            }
            case Node.CallBlock c -> {
                expr(c.call());
                node(c.caller());
            }
            case Node.FilterBlock f -> {
                expr(f.filter());
                nodes(f.body());
            }
            case Node.With w -> {
                w.values().forEach(this::expr);
                nodes(w.body());
            }
            case Node.LoopControl l -> {
            }
            case Node.Generation g -> nodes(g.body());
        }
    }

    private void args(Expr.CallArgs a) {
        a.positional().forEach(this::expr);
        a.keywords().forEach(k -> expr(k.value()));
        expr(a.starArgs());
        expr(a.starKwargs());
    }

    private void expr(Expr e) {
        switch (e) {
            case null -> {
            }
            case Expr.Const c -> {
            }
            case Expr.Name n -> {
                if (wanted.contains(n.name())) {
                    found.add(n.name());
                }
            }
            case Expr.GetAttr g -> expr(g.object());
            case Expr.GetItem g -> {
                expr(g.object());
                expr(g.key());
            }
            case Expr.Slice s -> {
                expr(s.start());
                expr(s.stop());
                expr(s.step());
            }
            case Expr.Call c -> {
                expr(c.callee());
                args(c.args());
            }
            case Expr.Filter f -> {
                expr(f.value());
                args(f.args());
            }
            case Expr.Test t -> {
                expr(t.value());
                args(t.args());
            }
            case Expr.Not n -> expr(n.operand());
            case Expr.And a -> {
                expr(a.left());
                expr(a.right());
            }
            case Expr.Or o -> {
                expr(o.left());
                expr(o.right());
            }
            case Expr.Conditional c -> {
                expr(c.test());
                expr(c.then());
                expr(c.otherwise());
            }
            case Expr.Binary b -> {
                expr(b.left());
                expr(b.right());
            }
            case Expr.Unary u -> expr(u.operand());
            case Expr.Concat c -> c.parts().forEach(this::expr);
            case Expr.Compare c -> {
                expr(c.first());
                c.rest().forEach(o -> expr(o.value()));
            }
            case Expr.ListLiteral l -> l.items().forEach(this::expr);
            case Expr.TupleLiteral t -> t.items().forEach(this::expr);
            case Expr.DictLiteral d -> d.pairs().forEach(p -> {
                expr(p.key());
                expr(p.value());
            });
        }
    }
}
