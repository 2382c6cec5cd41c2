package dev.jcn.notebook.widgets;

/**
 * A slider over decimal numbers, in steps of {@code step}.
 *
 * <pre>{@code
 * var nap = new FloatSlider("nap ms", 0.1, 10, 0.1, 1.0);
 * }</pre>
 */
public final class FloatSlider extends ValueWidget<Double> {

    public FloatSlider(String description, double min, double max, double step, double value) {
        super("FloatSliderModel", "FloatSliderView", "SliderStyleModel", Sliders.style(), "value",
                Sliders.state(description, min, max, step, value, ".2f"));
    }

    @Override
    Double read(Object raw) {
        return Values.toDouble(raw);
    }

    @Override
    Object write(Double value) {
        return value;
    }
}
