package dev.jcn.notebook.widgets;

import java.util.LinkedHashMap;
import java.util.Map;

/** Default states of the style models. */
final class Styles {

    private Styles() {}

    static Map<String, Object> background() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("background", null);
        s.put("description_width", "");
        return s;
    }

    static Map<String, Object> text() {
        Map<String, Object> s = background();
        for (String k : new String[] {"font_family", "font_size", "font_style", "font_variant", "font_weight", "text_color",
                "text_decoration"}) {
            s.put(k, null);
        }
        return s;
    }

    static Map<String, Object> progress() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("bar_color", null);
        s.put("description_width", "");
        return s;
    }
}
