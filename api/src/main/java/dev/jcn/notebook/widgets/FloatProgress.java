package dev.jcn.notebook.widgets;

/**
 * A progress bar over decimal values from {@code min} to {@code max}.
 *
 * <pre>{@code
 * var share = new FloatProgress("busy", 0, 1);
 * share.value(0.75);
 * }</pre>
 */
public final class FloatProgress extends ValueWidget<Double> {

    public FloatProgress(String description, double min, double max) {
        super("FloatProgressModel", "ProgressView", "ProgressStyleModel", Styles.progress(), "value",
                IntProgress.progress(description, min, max, min));
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
