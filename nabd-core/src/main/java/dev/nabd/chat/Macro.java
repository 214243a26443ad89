package dev.nabd.chat;

/** A macro (or the body of a call block, as {@code caller}) bound to the scope it was defined in. */
final class Macro implements JinjaCallable {
    final Node.MacroDef definition;
    final Scope closure;
    private final Renderer renderer;

    Macro(Node.MacroDef definition, Scope closure, Renderer renderer) {
        this.definition = definition;
        this.closure = closure;
        this.renderer = renderer;
    }

    @Override
    public Object call(Args args) {
        return renderer.callMacro(this, args);
    }

    @Override
    public String name() {
        return definition.name();
    }
}
