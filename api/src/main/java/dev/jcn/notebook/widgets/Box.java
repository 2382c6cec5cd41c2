package dev.jcn.notebook.widgets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Widgets laid out in a row ({@link HBox}) or a column ({@link VBox}). */
abstract class Box extends Control {

    private final List<Widget> children;

    Box(String modelName, String viewName, Widget... children) {
        super(modelName, viewName, null, Map.of(), state(children));
        this.children = List.of(children);
    }

    private static Map<String, Object> state(Widget... children) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("box_style", "");
        s.put("children", java.util.Arrays.stream(children).map(Widget::reference).toList());
        return s;
    }

    public List<Widget> children() {
        return children;
    }

    @Override
    String describe() {
        return children.size() + " children";
    }
}
