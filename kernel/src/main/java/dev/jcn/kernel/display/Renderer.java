package dev.jcn.kernel.display;

import dev.jcn.kernel.execution.MimeBundle;

/**
 * Turns values of some type into a MIME bundle. Libraries add their own through
 * {@code META-INF/services/dev.jcn.kernel.display.Renderer}; the most specific (highest
 * {@link #priority()}) renderer that accepts a value wins.
 *
 * <pre>{@code
 * public final class MoneyRenderer implements Renderer {
 *     public boolean accepts(Object value) { return value instanceof Money; }
 *     public MimeBundle render(Object value, RenderRequest request) {
 *         return MimeBundle.text(value.toString()); // plus text/html, image/png, ...
 *     }
 * }
 * }</pre>
 */
public interface Renderer {

    /** Whether this renderer knows {@code value}'s type. */
    boolean accepts(Object value);

    /** The bundle for {@code value}; text/plain is added by the caller when missing. */
    MimeBundle render(Object value, RenderRequest request) throws Exception;

    /** Renderers with a higher priority are asked first; the built-ins use 0. */
    default int priority() {
        return 0;
    }
}
