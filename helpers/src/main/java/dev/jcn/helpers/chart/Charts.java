package dev.jcn.helpers.chart;

import dev.jcn.helpers.pool.JobSpan;
import dev.jcn.helpers.pool.PoolRun;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.timing.SweepResult;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The notebooks' charts (XChart), and one call to save any chart as PNG and SVG.
 *
 * <pre>{@code
 * SweepResult r = Sweep.of("threads", "processes").workers(1, 2, 4).run();
 * XYChart time = Charts.timeVsWorkers(r);           // seconds per model, ideal line, makespan bound
 * XYChart speedup = Charts.speedupVsWorkers(r);
 * XYChart gantt = Charts.gantt(Pools.processes(4).run());
 * CategoryChart bars = Charts.bar("Start cost", "µs", Map.of("platform", 90, "virtual", 20));
 * CategoryChart spread = Charts.bar("Start cost", "µs", Map.of("virtual", 16, "child JVM", 39_000), true); // log axis
 * Charts.save(time, "06-timings");                   // figures/06-timings.png and .svg
 * }</pre>
 *
 * <p>The ideal line is the sequential time divided by the worker count. The makespan bound is what no
 * schedule can beat on this machine: neither the biggest job alone nor the total work spread over
 * min(workers, cores) cores can be finished faster, measured in the sequential time per trial division.
 * Charts are drawn headless; {@code java.awt.headless} is set to true unless it was set already.
 */
public final class Charts {

    /** Chart size in points; saved PNGs are rendered at 300 DPI, so about 4 times this in pixels. */
    public static final int WIDTH = 800;
    /** Chart height in points. */
    public static final int HEIGHT = 500;
    /** The resolution of saved PNG files. */
    public static final int PNG_DPI = 300;

    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private Charts() {
    }

    /** Seconds versus workers for every model of {@code result}, with the ideal line and the makespan bound. */
    public static XYChart timeVsWorkers(SweepResult result) {
        XYChart chart = lineChart(result.title() + ": time vs workers", "workers", "seconds (median)");
        double seq = result.sequentialSeconds();
        List<Integer> counts = result.workerCounts();
        addModelSeries(chart, result.medians(), "seconds", "");
        addGuide(chart, "ideal (sequential / workers)", counts, w -> seq / w, Color.GRAY);
        Bound bound = Bound.of(result.numbers());
        addGuide(chart, "makespan bound (" + bound.cores + " cores)", counts, w -> seq * bound.fraction(w), Color.BLACK);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    /**
     * Speedup versus workers for every model of each result (several sweeps, e.g. Java and CPython, share one
     * chart: speedup has no unit), with the ideal line and the makespan bound of the first result's numbers.
     */
    public static XYChart speedupVsWorkers(SweepResult... results) {
        if (results.length == 0) {
            throw new IllegalArgumentException("give at least one sweep result");
        }
        XYChart chart = lineChart(results.length == 1 ? results[0].title() + ": speedup vs workers"
                : "speedup vs workers", "workers", "speedup over sequential (median)");
        List<Integer> counts = new ArrayList<>();
        for (SweepResult r : results) {
            addModelSeries(chart, r.medians(), "speedup", results.length == 1 ? "" : r.title() + " ");
            r.workerCounts().stream().filter(c -> !counts.contains(c)).forEach(counts::add);
        }
        counts.sort(null);
        addGuide(chart, "ideal (= workers)", counts, w -> (double) w, Color.GRAY);
        Bound bound = Bound.of(results[0].numbers());
        addGuide(chart, "makespan bound (" + bound.cores + " cores)", counts, w -> 1 / bound.fraction(w), Color.BLACK);
        chart.getStyler().setYAxisMin(0.0);
        return chart;
    }

    /**
     * A Gantt chart of a run: one row per worker, one bar per job, labelled with its number where the bar is
     * wide enough ({@link #ganttLabel}); failed attempts in red.
     */
    public static XYChart gantt(PoolRun run) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(run.model() + " × " + run.workers() + ": which worker checked which number when")
                .xAxisTitle("seconds since the run started").yAxisTitle("worker").build();
        Styler styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisMin(-0.5);
        chart.getStyler().setYAxisMax(run.workers() - 0.5);
        chart.getStyler().setYAxisDecimalPattern("0");
        chart.getStyler().setXAxisMin(0.0);
        Color[] palette = {new Color(0x1f77b4), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)};
        int i = 0;
        float thickness = ganttThickness(run);
        double xMax = ganttEnd(run);
        if (xMax > 0) {
            chart.getStyler().setXAxisMax(xMax);
        }
        styler.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, LABEL_POINTS));
        styler.setAnnotationTextFontColor(Color.WHITE);
        for (BarLabel label : ganttLabels(run)) {
            chart.addAnnotation(new AnnotationText(label.text(), label.x(), label.worker(), false));
        }
        for (JobSpan span : run.timeline()) {
            String name = span.n() + (span.completed() ? "" : " (worker died)") + " #" + i;
            XYSeries s = chart.addSeries(name, new double[]{span.startSeconds(), span.endSeconds()},
                    new double[]{span.worker(), span.worker()});
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(span.completed() ? palette[i % palette.length] : Color.RED);
            s.setLineStyle(new BasicStroke(thickness, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            i++;
        }
        if (run.timeline().isEmpty()) {
            chart.addSeries("no jobs", new double[]{0}, new double[]{0}).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** The font size of Gantt bar labels, in points. */
    private static final int LABEL_POINTS = 11;

    /** About how many pixels of a {@link #WIDTH}-wide chart the plot area of a Gantt chart spans. */
    private static final double GANTT_PLOT_WIDTH = WIDTH - 90;

    /**
     * The label of a Gantt bar for job {@code n}: the number itself up to six digits, else an ellipsis and
     * its last four digits ({@code 9999999999999917} → {@code …9917}), which tell the fixture's numbers apart.
     */
    public static String ganttLabel(long n) {
        String digits = Long.toString(n);
        return digits.length() <= 6 ? digits : "…" + digits.substring(digits.length() - 4);
    }

    /** A Gantt bar's label: its text, centred at {@code x} seconds on worker row {@code worker}. */
    record BarLabel(String text, double x, int worker) {
    }

    /**
     * The labels of a run's Gantt bars: only bars that hold their label get one (in length and in
     * thickness), since a label spilling over its neighbours cannot be read.
     */
    static List<BarLabel> ganttLabels(PoolRun run) {
        double xMax = ganttEnd(run);
        List<BarLabel> labels = new ArrayList<>();
        if (xMax <= 0 || ganttThickness(run) < LABEL_POINTS + 2) {
            return labels;
        }
        for (JobSpan span : run.timeline()) {
            String text = ganttLabel(span.n());
            double barPixels = span.seconds() / xMax * GANTT_PLOT_WIDTH;
            if (barPixels >= text.length() * LABEL_POINTS * 0.62 + 4) {
                labels.add(new BarLabel(text, (span.startSeconds() + span.endSeconds()) / 2, span.worker()));
            }
        }
        return labels;
    }

    private static float ganttThickness(PoolRun run) {
        return Math.max(4f, Math.min(40f, 300f / run.workers()));
    }

    private static double ganttEnd(PoolRun run) {
        return Math.max(run.seconds(), run.timeline().stream().mapToDouble(JobSpan::endSeconds).max().orElse(0));
    }

    /** A bar chart of labelled values, in the map's order. */
    public static CategoryChart bar(String title, String yTitle, Map<String, ? extends Number> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one value");
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.addSeries(yTitle, new ArrayList<>(values.keySet()), new ArrayList<Number>(values.values()));
        return chart;
    }

    /**
     * A bar chart of labelled values, with a logarithmic value axis when {@code logScale} is true: for values
     * spanning several powers of ten, such as start costs from microseconds to milliseconds. Bars rise from
     * the power of ten at or below the smallest value (a log axis has no zero).
     *
     * @throws IllegalArgumentException on a log scale, for a value that is not above zero
     */
    public static CategoryChart bar(String title, String yTitle, Map<String, ? extends Number> values,
                                    boolean logScale) {
        if (logScale) {
            values.forEach((label, value) -> {
                if (value == null || !(value.doubleValue() > 0)) {
                    throw new IllegalArgumentException("a log-scale bar chart needs values above zero, got " + value
                            + " for " + label + "; use the linear Charts.bar(title, yTitle, values) instead");
                }
            });
        }
        CategoryChart chart = bar(title, yTitle, values);
        if (logScale) {
            chart.getStyler().setYAxisLogarithmic(true);
            fitLogBars(chart);
        }
        return chart;
    }

    /**
     * XChart draws bars from zero, which a log axis cannot show, and so fails when painting: unless the
     * chart already has a lower bound, bars on a log axis start at the power of ten below the smallest value.
     */
    private static void fitLogBars(Chart<?, ?> any) {
        if (!(any instanceof CategoryChart chart) || !chart.getStyler().isYAxisLogarithmic()
                || chart.getStyler().getYAxisMin() != null) {
            return;
        }
        double smallest = Double.POSITIVE_INFINITY;
        for (var series : chart.getSeriesMap().values()) {
            for (Number y : series.getYData()) {
                if (y == null) {
                    continue;
                }
                if (!(y.doubleValue() > 0)) {
                    throw new IllegalArgumentException("a log-scale bar chart needs values above zero, got " + y
                            + " in series " + series.getName() + "; use a linear axis instead");
                }
                smallest = Math.min(smallest, y.doubleValue());
            }
        }
        if (smallest < Double.POSITIVE_INFINITY) {
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(smallest))));
        }
    }

    /** A bar chart of one numeric column of a table, labelled by another column. */
    public static CategoryChart bar(String title, Table table, String labelColumn, String valueColumn) {
        Map<String, Number> values = new LinkedHashMap<>();
        for (Row row : table) {
            String label = row.getObject(labelColumn).toString();
            if (table.columnNames().contains("workers") && !labelColumn.equals("workers")) {
                label += " ×" + row.getInt("workers");
            }
            values.put(label, row.getNumber(valueColumn));
        }
        return bar(title, valueColumn, values);
    }

    /** Saves {@code chart} as {@code NAME.png} (300 DPI) and {@code NAME.svg} in {@link #figuresDir()}. */
    public static SavedChart save(Chart<?, ?> chart, String name) {
        return save(chart, figuresDir(), name);
    }

    /** Saves {@code chart} as {@code NAME.png} (300 DPI) and {@code NAME.svg} in {@code folder}. */
    public static SavedChart save(Chart<?, ?> chart, Path folder, String name) {
        if (name == null || name.isBlank() || name.contains("/") || name.contains("\\") || name.contains("..")) {
            throw new IllegalArgumentException("a chart name is a plain file name without extension, got " + name);
        }
        String base = name.endsWith(".png") || name.endsWith(".svg") ? name.substring(0, name.length() - 4) : name;
        fitLogBars(chart);
        try {
            Files.createDirectories(folder);
            Path png = folder.resolve(base + ".png");
            Path svg = folder.resolve(base + ".svg");
            // XChart adds the extension itself.
            BitmapEncoder.saveBitmapWithDPI(chart, folder.resolve(base).toString(), BitmapEncoder.BitmapFormat.PNG, PNG_DPI);
            VectorGraphicsEncoder.saveVectorGraphic(chart, folder.resolve(base).toString(),
                    VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return new SavedChart(png, svg);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save chart " + base + " in " + folder + ": " + e.getMessage(), e);
        }
    }

    /**
     * Where {@link #save(Chart, String)} writes: the system property {@code jcn.figures}, else the environment
     * variable {@code JCN_FIGURES}, else {@code figures} under the working directory (in a notebook:
     * {@code notebooks/figures}).
     */
    public static Path figuresDir() {
        String property = System.getProperty("jcn.figures");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("JCN_FIGURES");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of("figures");
    }

    /** The chart drawn as an image (screen resolution), for display. */
    public static BufferedImage image(Chart<?, ?> chart) {
        fitLogBars(chart);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static XYChart lineChart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(x).yAxisTitle(y).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        // Outside the plot: inside, a corner that is free for one sweep is covered by the lines of another.
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    private static void addModelSeries(XYChart chart, Table medians, String column, String prefix) {
        Map<String, List<double[]>> byModel = new LinkedHashMap<>();
        for (Row row : medians) {
            byModel.computeIfAbsent(row.getString("model"), k -> new ArrayList<>())
                    .add(new double[]{row.getInt("workers"), row.getDouble(column)});
        }
        byModel.forEach((model, points) -> {
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] xs = points.stream().mapToDouble(p -> p[0]).toArray();
            double[] ys = points.stream().mapToDouble(p -> p[1]).toArray();
            String name = prefix + model;
            for (int copy = 2; chart.getSeriesMap().containsKey(name); copy++) {
                name = prefix + model + " (" + copy + ")";
            }
            XYSeries s = chart.addSeries(name, xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
        });
    }

    private static void addGuide(XYChart chart, String name, List<Integer> counts,
                                 java.util.function.IntToDoubleFunction f, Color color) {
        double[] xs = counts.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] ys = counts.stream().mapToDouble(w -> f.applyAsDouble(w)).toArray();
        XYSeries s = chart.addSeries(name, xs, ys);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(color);
        s.setLineStyle(SeriesLines.DASH_DASH);
    }

    /** The makespan bound as a fraction of the sequential time. */
    private record Bound(long total, long largest, int cores) {

        static Bound of(List<Long> numbers) {
            long total = 0;
            long largest = 0;
            for (long n : numbers) {
                long d = Primes.divisions(n);
                total += d;
                largest = Math.max(largest, d);
            }
            return new Bound(Math.max(1, total), largest, Runtime.getRuntime().availableProcessors());
        }

        double fraction(int workers) {
            double spread = (double) total / Math.min(workers, cores);
            return Math.max(largest, spread) / total;
        }
    }
}
