package dev.jcn.notebook.widgets;

/**
 * Widgets one above the other.
 *
 * <pre>{@code
 * display(new VBox(controls, bar, chart));
 * }</pre>
 */
public final class VBox extends Box {

    public VBox(Widget... children) {
        super("VBoxModel", "VBoxView", children);
    }
}
