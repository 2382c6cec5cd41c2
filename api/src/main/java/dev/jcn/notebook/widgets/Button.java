package dev.jcn.notebook.widgets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A button; its click listeners run in the notebook's JVM, like a cell.
 *
 * <pre>{@code
 * var run = new Button("Run");
 * run.onClick(() -> sweep());
 * }</pre>
 */
public final class Button extends Control {

    public Button(String description) {
        super("ButtonModel", "ButtonView", "ButtonStyleModel", style(), state(description));
    }

    private static Map<String, Object> state(String description) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("button_style", "");
        s.put("description", description == null ? "" : description);
        s.put("disabled", false);
        s.put("icon", "");
        return s;
    }

    private static Map<String, Object> style() {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String k : new String[] {"button_color", "font_family", "font_size", "font_style", "font_variant", "font_weight",
                "text_color", "text_decoration"}) {
            s.put(k, null);
        }
        return s;
    }

    /** Calls {@code listener} on each click. Returns this button. */
    public Button onClick(Runnable listener) {
        listenCustom(content -> {
            if ("click".equals(content.get("event"))) {
                listener.run();
            }
        });
        return this;
    }

    /** Simulates a click, as the reader's would: the click listeners run on the calling thread. */
    public void click() {
        receivedCustom(Map.of("event", "click"));
    }

    /** Greys the button out, or makes it clickable again. */
    public void disabled(boolean disabled) {
        set("disabled", disabled);
    }

    /** {@code ""}, {@code "primary"}, {@code "success"}, {@code "info"}, {@code "warning"} or {@code "danger"}. */
    public void buttonStyle(String style) {
        set("button_style", style == null ? "" : style);
    }

    @Override
    String describe() {
        return "description=" + get("description");
    }
}
