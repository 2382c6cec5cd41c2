package dev.jcn.notebook.widgets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A list in which several options can be selected; the value is their labels, in the list's order.
 *
 * <pre>{@code
 * var models = new SelectMultiple("models", List.of("threads", "virtual", "processes"), List.of("threads"));
 * }</pre>
 */
public final class SelectMultiple extends ValueWidget<List<String>> {

    private final List<String> options;

    public SelectMultiple(String description, List<String> options, List<String> selected) {
        super("SelectMultipleModel", "SelectMultipleView", "DescriptionStyleModel", Control.descriptionStyle(), "index",
                state(description, options, selected));
        this.options = List.copyOf(options);
    }

    private static Map<String, Object> state(String description, List<String> options, List<String> selected) {
        Map<String, Object> s = described(description);
        s.put("_options_labels", List.copyOf(options));
        s.put("disabled", false);
        s.put("index", indexes(options, selected));
        s.put("rows", (long) Math.min(options.size(), 8));
        return s;
    }

    private static List<Long> indexes(List<String> options, List<String> selected) {
        List<Long> out = new ArrayList<>();
        for (String v : selected) {
            out.add((long) Choice.indexOf(options, v));
        }
        out.sort(null);
        return out;
    }

    public List<String> options() {
        return options;
    }

    @Override
    List<String> read(Object raw) {
        List<String> out = new ArrayList<>();
        for (int i : Values.toInts(raw)) {
            if (i >= 0 && i < options.size()) {
                out.add(options.get(i));
            }
        }
        return List.copyOf(out);
    }

    @Override
    Object write(List<String> value) {
        return indexes(options, value);
    }
}
