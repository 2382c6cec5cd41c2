package dev.jcn.notebook.widgets;

import java.util.Map;
import java.util.function.Consumer;

/**
 * A control with one value the reader can change (a slider's number, a dropdown's choice) or that
 * code shows (a progress bar's count, a label's text).
 *
 * <pre>{@code
 * slider.value();                               // now
 * slider.value(6);                              // here and on the page
 * slider.onChange(v -> System.out.println(v));  // after each change, from either side
 * }</pre>
 *
 * @param <T> the value's type
 */
public abstract class ValueWidget<T> extends Control {

    private final String attribute;

    ValueWidget(String modelName, String viewName, String styleModel, Map<String, Object> styleState, String attribute,
            Map<String, Object> state) {
        super(modelName, viewName, styleModel, styleState, state);
        this.attribute = attribute;
    }

    ValueWidget(String module, String version, String modelName, String viewName, String attribute, Map<String, Object> state) {
        super(module, version, modelName, viewName, null, Map.of(), state);
        this.attribute = attribute;
    }

    /** The value as the state holds it, turned into {@code T}. */
    abstract T read(Object raw);

    /** {@code value} as the state holds it. */
    abstract Object write(T value);

    /** The current value. */
    public T value() {
        return read(get(attribute));
    }

    /** Sets the value here and on every view; the listeners run if it changed. */
    public void value(T value) {
        set(attribute, write(value));
    }

    /** Calls {@code listener} with each new value, whoever changed it. Returns this widget. */
    public ValueWidget<T> onChange(Consumer<T> listener) {
        listen(attribute, raw -> listener.accept(read(raw)));
        return this;
    }

    @Override
    String describe() {
        return "value=" + value();
    }
}
