package dev.nabd.chat;

/** One lexical token of a template. {@code value} is the decoded literal for strings and numbers. */
record Token(Type type, String text, Object value, int line) {
    enum Type {
        DATA, VARIABLE_BEGIN, VARIABLE_END, BLOCK_BEGIN, BLOCK_END, NAME, STRING, INTEGER, FLOAT, OPERATOR, EOF
    }

    boolean is(Type t) {
        return type == t;
    }

    boolean isOperator(String op) {
        return type == Type.OPERATOR && text.equals(op);
    }

    boolean isName(String name) {
        return type == Type.NAME && text.equals(name);
    }

    /** How Jinja names the token in error messages. */
    String describe() {
        return switch (type) {
            case NAME, OPERATOR -> text;
            case STRING -> "string";
            case INTEGER -> "integer";
            case FLOAT -> "float";
            case DATA -> "template data / text";
            case VARIABLE_BEGIN -> "begin of print statement";
            case VARIABLE_END -> "end of print statement";
            case BLOCK_BEGIN -> "begin of statement block";
            case BLOCK_END -> "end of statement block";
            case EOF -> "end of template";
        };
    }
}
