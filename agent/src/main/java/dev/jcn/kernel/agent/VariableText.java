package dev.jcn.kernel.agent;

import java.lang.reflect.Array;

/**
 * A notebook variable's value as the Variables panel shows it, made without calling any method of
 * the value's own class: a variable may hold an object whose {@code toString} blocks, throws or runs
 * for long, and listing variables must not run cell code.
 *
 * <pre>{@code
 * VariableText.of(42)                  // 42
 * VariableText.of("a\"b")              // "a\"b"
 * VariableText.of(new int[3])          // int[3]
 * VariableText.of(new ArrayList<>())   // ArrayList@1b6d3586
 * }</pre>
 */
final class VariableText {

    /** Strings longer than this are cut and end with an ellipsis. */
    static final int MAX_TEXT = 200;

    private VariableText() {}

    static String of(Object value) {
        return switch (value) {
            case null -> "null";
            case Character c -> "'" + c + "'";
            case String s -> quoted(s);
            // the JDK's own boxes: their text is their value
            case Number n when n.getClass().getModule() == Object.class.getModule() -> n.toString();
            case Boolean b -> b.toString();
            default -> {
                Class<?> type = value.getClass();
                yield type.isArray()
                        ? type.getTypeName().replaceFirst("\\[]", "[" + Array.getLength(value) + "]")
                        : type.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(value));
            }
        };
    }

    private static String quoted(String s) {
        String shown = s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) + "…" : s;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
