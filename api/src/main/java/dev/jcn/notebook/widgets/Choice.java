package dev.jcn.notebook.widgets;

import java.util.List;
import java.util.Map;

/** One option of several, by its label: a dropdown or a row of toggle buttons. */
abstract class Choice extends ValueWidget<String> {

    private final List<String> options;

    Choice(String modelName, String viewName, String styleModel, Map<String, Object> styleState, Map<String, Object> state,
            List<String> options) {
        super(modelName, viewName, styleModel, styleState, "index", state);
        this.options = options;
    }

    static Map<String, Object> state(String description, List<String> options, String value) {
        Map<String, Object> s = described(description);
        s.put("_options_labels", List.copyOf(options));
        s.put("disabled", false);
        s.put("index", (long) indexOf(options, value));
        return s;
    }

    static int indexOf(List<String> options, String value) {
        int i = options.indexOf(value);
        if (i < 0) {
            throw new IllegalArgumentException(value + " is not one of the options " + options);
        }
        return i;
    }

    public List<String> options() {
        return options;
    }

    @Override
    String read(Object raw) {
        int i = Values.toInt(raw);
        return raw == null || i < 0 || i >= options.size() ? null : options.get(i);
    }

    @Override
    Object write(String value) {
        return (long) indexOf(options, value);
    }
}
