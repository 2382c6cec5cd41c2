package dev.jcn.notebook.widgets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTML that code can change.
 *
 * <pre>{@code
 * var note = new HTML("<b>ready</b>");
 * }</pre>
 */
public final class HTML extends ValueWidget<String> {

    public HTML(String value) {
        super("HTMLModel", "HTMLView", "HTMLStyleModel", style(), "value", Label.text(value));
    }

    private static Map<String, Object> style() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("background", null);
        s.put("description_width", "");
        s.put("font_size", null);
        s.put("text_color", null);
        return s;
    }

    @Override
    String read(Object raw) {
        return Values.toText(raw);
    }

    @Override
    Object write(String value) {
        return value == null ? "" : value;
    }
}
