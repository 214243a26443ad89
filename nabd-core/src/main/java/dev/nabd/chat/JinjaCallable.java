package dev.nabd.chat;

/** Anything a template can call: globals such as {@code range}, macros, bound string and dict methods. */
interface JinjaCallable {
    Object call(Args args);

    /** The name Python would print for it. */
    String name();
}
