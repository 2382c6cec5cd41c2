package dev.jcn.notebook.widgets;

import dev.jcn.notebook.Display;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Controls and a function of their values, shown together: the function's result is drawn below the
 * controls, and drawn again whenever one of them changes.
 *
 * <pre>{@code
 * var n = new IntSlider("n", 1, 20, 5);
 * display(Interact.interact(() -> "n² = " + n.value() * n.value(), n));
 * }</pre>
 */
public final class Interact {

    private Interact() {}

    /**
     * A column of {@code controls} over an {@link Output} that shows {@code render}'s result (and what
     * it prints), computed now and after each change of a control.
     */
    public static VBox interact(Supplier<?> render, ValueWidget<?>... controls) {
        Output out = new Output();
        Runnable redraw = () -> out.capture(() -> {
            Display.clearOutput(true);
            Object result = render.get();
            if (result != null) {
                Display.display(result);
            }
        });
        for (ValueWidget<?> c : controls) {
            c.onChange(v -> redraw.run());
        }
        redraw.run();
        List<Widget> children = new ArrayList<>(List.of(controls));
        children.add(out);
        return new VBox(children.toArray(Widget[]::new));
    }
}
