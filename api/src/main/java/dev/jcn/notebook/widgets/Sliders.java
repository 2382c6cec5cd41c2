package dev.jcn.notebook.widgets;

import java.util.LinkedHashMap;
import java.util.Map;

/** The state the three sliders share. */
final class Sliders {

    private Sliders() {}

    static Map<String, Object> state(String description, Number min, Number max, Number step, Object value, String format) {
        Map<String, Object> s = Control.described(description);
        s.put("behavior", "drag-tap");
        s.put("continuous_update", false);
        s.put("disabled", false);
        s.put("max", max);
        s.put("min", min);
        s.put("orientation", "horizontal");
        s.put("readout", true);
        s.put("readout_format", format);
        s.put("step", step);
        s.put("value", value);
        return s;
    }

    static Map<String, Object> style() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("description_width", "");
        s.put("handle_color", null);
        return s;
    }
}
