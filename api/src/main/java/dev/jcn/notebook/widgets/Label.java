package dev.jcn.notebook.widgets;

import java.util.Map;

/**
 * A line of plain text that code can change.
 *
 * <pre>{@code
 * var status = new Label("ready");
 * status.value("3 of 20 done");
 * }</pre>
 */
public final class Label extends ValueWidget<String> {

    public Label(String value) {
        super("LabelModel", "LabelView", "LabelStyleModel", Styles.text(), "value", text(value));
    }

    static Map<String, Object> text(String value) {
        Map<String, Object> s = described("");
        s.put("placeholder", "\u200b");
        s.put("value", value == null ? "" : value);
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
