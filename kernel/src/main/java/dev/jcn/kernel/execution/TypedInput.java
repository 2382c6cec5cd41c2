package dev.jcn.kernel.execution;

/**
 * The answer to a cell's request for a line of input: the line the reader typed, or, when
 * {@code refusal} is not empty, the end of input and the one-line reason.
 *
 * <pre>{@code
 * TypedInput a = TypedInput.typed("Ada");
 * TypedInput b = TypedInput.refused("this frontend takes no input (allow_stdin is false)");
 * }</pre>
 */
public record TypedInput(String line, String refusal) {

    public static TypedInput typed(String line) {
        return new TypedInput(line, "");
    }

    public static TypedInput refused(String why) {
        return new TypedInput("", why);
    }
}
