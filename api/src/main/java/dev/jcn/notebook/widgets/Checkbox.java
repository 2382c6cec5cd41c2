package dev.jcn.notebook.widgets;

/**
 * A box to tick.
 *
 * <pre>{@code
 * var quiet = new Checkbox("quiet", true);
 * }</pre>
 */
public final class Checkbox extends ValueWidget<Boolean> {

    public Checkbox(String description, boolean value) {
        super("CheckboxModel", "CheckboxView", "CheckboxStyleModel", Styles.background(), "value", state(description, value));
    }

    private static java.util.Map<String, Object> state(String description, boolean value) {
        var s = described(description);
        s.put("disabled", false);
        s.put("indent", true);
        s.put("value", value);
        return s;
    }

    @Override
    Boolean read(Object raw) {
        return Values.toBoolean(raw);
    }

    @Override
    Object write(Boolean value) {
        return value;
    }
}
