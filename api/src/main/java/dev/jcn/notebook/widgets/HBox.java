package dev.jcn.notebook.widgets;

/**
 * Widgets side by side.
 *
 * <pre>{@code
 * display(new HBox(workers, models, run));
 * }</pre>
 */
public final class HBox extends Box {

    public HBox(Widget... children) {
        super("HBoxModel", "HBoxView", children);
    }
}
