package dev.jcn.notebook.widgets;

import java.util.Map;

/**
 * A progress bar counting whole steps from {@code min} to {@code max}.
 *
 * <pre>{@code
 * var bar = new IntProgress("sweep", 0, 20);
 * bar.value(bar.value() + 1);
 * bar.barStyle("success");
 * }</pre>
 */
public final class IntProgress extends ValueWidget<Integer> {

    public IntProgress(String description, int min, int max) {
        super("IntProgressModel", "ProgressView", "ProgressStyleModel", Styles.progress(), "value",
                progress(description, (long) min, (long) max, (long) min));
    }

    static Map<String, Object> progress(String description, Number min, Number max, Number value) {
        Map<String, Object> s = described(description);
        s.put("bar_style", "");
        s.put("max", max);
        s.put("min", min);
        s.put("orientation", "horizontal");
        s.put("value", value);
        return s;
    }

    /** The largest value, the bar's end. */
    public int max() {
        return Values.toInt(get("max"));
    }

    /** Moves the bar's end. */
    public void max(int max) {
        set("max", (long) max);
    }

    /** {@code ""}, {@code "success"}, {@code "info"}, {@code "warning"} or {@code "danger"}: the bar's colour. */
    public void barStyle(String style) {
        set("bar_style", style == null ? "" : style);
    }

    @Override
    Integer read(Object raw) {
        return Values.toInt(raw);
    }

    @Override
    Object write(Integer value) {
        return value.longValue();
    }
}
