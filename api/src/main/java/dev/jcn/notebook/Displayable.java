package dev.jcn.notebook;

/**
 * A value that knows how it is shown: {@link Renderers} asks it for its bundle before any renderer.
 * Widgets are displayable this way.
 *
 * <pre>{@code
 * record Money(long cents) implements Displayable {
 *     public MimeBundle mimeBundle() { return MimeBundle.of("text/html", "<b>" + cents / 100.0 + "</b>"); }
 * }
 * }</pre>
 */
public interface Displayable {

    /** How this value is shown; {@code text/plain} is added when missing. */
    MimeBundle mimeBundle();
}
