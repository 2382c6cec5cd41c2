package dev.jcn.notebook;

import dev.jcn.notebook.spi.Host;
import java.util.UUID;

/**
 * What notebook cells call to show rich output. Every cell imports it statically.
 *
 * <pre>{@code
 * String id = display(markdown("starting..."));
 * for (int i = 1; i <= 10; i++) { work(); updateDisplay(id, "step " + i + " of 10"); }
 * display(chart);                // PNG
 * display(svg(chart));           // SVG
 * display(html("<i>done</i>"));
 * clearOutput(true);             // redraw without flicker: cleared when the next output comes
 * }</pre>
 *
 * <p>Values render by type ({@link Renderers}): charts and images as PNG, tables as HTML, anything
 * else as text. Displays work from any thread; they appear under the cell whose code started the
 * thread. Outside a notebook (in a test, a plain {@code java} run) they print their text.
 */
public final class Display {

    private Display() {}

    /** Shows {@code value} and returns an id for {@link #updateDisplay}. */
    public static String display(Object value) {
        String id = UUID.randomUUID().toString();
        Host.current().display(Renderers.render(value), id, false);
        return id;
    }

    /** Replaces the display {@code id} (returned by {@link #display}) with {@code value}. */
    public static void updateDisplay(String id, Object value) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("updateDisplay needs the id that display(...) returned");
        }
        Host.current().display(Renderers.render(value), id, true);
    }

    /** Clears the output of the cell this thread belongs to. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears the cell's output; with {@code wait} true the notebook clears only when new output arrives. */
    public static void clearOutput(boolean wait) {
        Host.current().clearOutput(wait);
    }

    /** HTML to display, e.g. {@code display(html("<b>hi</b>"))} or as a cell's last value. */
    public static Html html(String html) {
        return new Html(html == null ? "" : html);
    }

    /** Markdown to display, rendered by the notebook. */
    public static Markdown markdown(String markdown) {
        return new Markdown(markdown == null ? "" : markdown);
    }

    /** Asks for SVG: of a chart, of an image, or SVG source text. */
    public static Svg svg(Object value) {
        return new Svg(value);
    }

    /** The bundle {@code value} renders to, without displaying it. */
    public static MimeBundle render(Object value) {
        return Renderers.render(value);
    }
}
