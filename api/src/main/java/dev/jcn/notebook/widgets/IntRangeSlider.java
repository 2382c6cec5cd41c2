package dev.jcn.notebook.widgets;

import java.util.List;

/**
 * A slider with two handles: a range of whole numbers, both ends included.
 *
 * <pre>{@code
 * var range = new IntRangeSlider("workers", 1, 16, 1, 8);
 * int from = range.low(), to = range.high();
 * }</pre>
 */
public final class IntRangeSlider extends ValueWidget<List<Integer>> {

    public IntRangeSlider(String description, int min, int max, int low, int high) {
        super("IntRangeSliderModel", "IntRangeSliderView", "SliderStyleModel", Sliders.style(), "value",
                Sliders.state(description, min, max, 1, List.of((long) low, (long) high), "d"));
    }

    public int low() {
        return value().get(0);
    }

    public int high() {
        return value().get(1);
    }

    @Override
    List<Integer> read(Object raw) {
        List<Integer> ints = Values.toInts(raw);
        return ints.size() == 2 ? ints : List.of(0, 0);
    }

    @Override
    Object write(List<Integer> value) {
        if (value.size() != 2) {
            throw new IllegalArgumentException("a range is two numbers, low and high: " + value);
        }
        return Values.longs(value);
    }
}
