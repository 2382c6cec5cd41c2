package dev.jcn.notebook.widgets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A widget with a view on the page: it has a layout model, and most have a style model, opened before
 * it as the frontend expects ({@code @jupyter-widgets/base} {@code LayoutModel}, a style model of
 * {@code @jupyter-widgets/controls}).
 */
abstract class Control extends Widget {

    Control(String module, String moduleVersion, String modelName, String viewName, String styleModel,
            Map<String, Object> styleState, Map<String, Object> state) {
        super(module, moduleVersion, modelName, module, viewName, dom(styleModel, styleState, state));
    }

    /** A control of {@code @jupyter-widgets/controls} 2.0.0. */
    Control(String modelName, String viewName, String styleModel, Map<String, Object> styleState, Map<String, Object> state) {
        this(CONTROLS, VERSION, modelName, viewName, styleModel, styleState, state);
    }

    private static Map<String, Object> dom(String styleModel, Map<String, Object> styleState, Map<String, Object> state) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("_dom_classes", List.of());
        s.put("layout", new Model(BASE, "LayoutModel", "LayoutView", Map.of()).reference());
        if (styleModel != null) {
            s.put("style", new Model(CONTROLS, styleModel, "StyleView", styleState).reference());
        }
        s.put("tabbable", null);
        s.put("tooltip", null);
        s.putAll(state);
        return s;
    }

    /** A layout or style model: state only, no view of its own on the page. */
    static final class Model extends Widget {
        Model(String module, String modelName, String viewName, Map<String, Object> state) {
            super(module, VERSION, modelName, BASE, viewName, state);
        }
    }

    /** The state of a control with a description. */
    static Map<String, Object> described(String description) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("description", description == null ? "" : description);
        s.put("description_allow_html", false);
        return s;
    }

    static Map<String, Object> descriptionStyle() {
        return Map.of("description_width", "");
    }
}
