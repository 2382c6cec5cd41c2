package dev.jcn.notebook.widgets;

import java.util.Map;

/**
 * A slider over whole numbers.
 *
 * <pre>{@code
 * var workers = new IntSlider("workers", 1, 8, 4);
 * }</pre>
 */
public final class IntSlider extends ValueWidget<Integer> {

    public IntSlider(String description, int min, int max, int value) {
        super("IntSliderModel", "IntSliderView", "SliderStyleModel", Sliders.style(), "value",
                Sliders.state(description, min, max, 1, value, "d"));
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
