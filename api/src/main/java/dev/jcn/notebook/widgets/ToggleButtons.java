package dev.jcn.notebook.widgets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A row of buttons of which one is pressed; the value is its label.
 *
 * <pre>{@code
 * var how = new ToggleButtons("yield by", List.of("Thread.yield()", "parkNanos(1)"), "Thread.yield()");
 * }</pre>
 */
public final class ToggleButtons extends Choice {

    public ToggleButtons(String description, List<String> options, String value) {
        super("ToggleButtonsModel", "ToggleButtonsView", "ToggleButtonsStyleModel", style(), toggles(description, options, value),
                List.copyOf(options));
    }

    private static Map<String, Object> toggles(String description, List<String> options, String value) {
        Map<String, Object> s = Choice.state(description, options, value);
        s.put("button_style", "");
        s.put("icons", List.of());
        s.put("tooltips", List.of());
        return s;
    }

    private static Map<String, Object> style() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("button_width", "");
        s.put("description_width", "");
        s.put("font_weight", "");
        return s;
    }
}
