package dev.jcn.notebook;

/**
 * Turns values of some type into a {@link MimeBundle}. Libraries add their own by naming the class
 * in {@code META-INF/services/dev.jcn.notebook.Renderer}; the renderer with the highest
 * {@link #priority()} that accepts a value wins. The helpers render XChart charts and Tablesaw tables
 * this way.
 *
 * <pre>{@code
 * public final class MoneyRenderer implements Renderer {
 *     public boolean accepts(Object value) { return value instanceof Money; }
 *     public MimeBundle render(Object value, RenderRequest request) {
 *         Money m = (Money) value;
 *         return MimeBundle.of("text/html", "<b>" + m.amount() + "</b> " + m.currency());
 *     }
 * }
 * }</pre>
 */
public interface Renderer {

    /** Whether this renderer knows {@code value}'s type. */
    boolean accepts(Object value);

    /** The bundle for {@code value}; {@code text/plain} is added by the caller when missing. */
    MimeBundle render(Object value, RenderRequest request) throws Exception;

    /** Renderers with a higher priority are asked first; the built-in ones use 0. */
    default int priority() {
        return 0;
    }
}
