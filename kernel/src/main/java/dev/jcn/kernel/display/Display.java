package dev.jcn.kernel.display;

import dev.jcn.kernel.execution.MimeBundle;
import java.util.UUID;

/**
 * What notebook cells call to show rich output. Imported statically in every cell.
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
 * <p>Values render by type ({@link Renderers}): XChart charts and images as PNG, Tablesaw tables
 * as HTML, anything else as text. Displays work from any thread; they appear under the cell whose
 * code started the thread.
 */
public final class Display {

    private static volatile DisplaySink sink = (bundle, id, update) -> System.out.println(Renderers.plainText(bundle));

    private Display() {}

    /** Installs where displays go (done once by the kernel in the user JVM). */
    public static void connect(DisplaySink target) {
        sink = target;
    }

    /** Shows {@code value} and returns an id for {@link #updateDisplay}. */
    public static String display(Object value) {
        String id = UUID.randomUUID().toString();
        sink.display(Renderers.render(value), id, false);
        return id;
    }

    /** Replaces the display {@code id} (returned by {@link #display}) with {@code value}. */
    public static void updateDisplay(String id, Object value) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("updateDisplay needs the id that display(...) returned");
        }
        sink.display(Renderers.render(value), id, true);
    }

    /** Clears the output of the cell this thread belongs to. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** Clears the cell's output; with {@code wait} true the notebook clears only when new output arrives. */
    public static void clearOutput(boolean wait) {
        sink.clear(wait);
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
