package dev.jcn.helpers.chart;

import java.nio.file.Path;

/**
 * The two files {@link Charts#save} wrote for one chart.
 *
 * <pre>{@code
 * SavedChart saved = Charts.save(chart, "06-timings");
 * saved.png();   // figures/06-timings.png (300 DPI)
 * saved.svg();   // figures/06-timings.svg
 * }</pre>
 *
 * @param png the PNG file
 * @param svg the SVG file
 */
public record SavedChart(Path png, Path svg) {
}
