package dev.jcn.helpers.render;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.RenderRequest;
import dev.jcn.notebook.Renderer;
import dev.jcn.notebook.Renderers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * XChart charts as {@code image/png}, or {@code image/svg+xml} on request; found by the notebook API
 * through {@code META-INF/services/dev.jcn.notebook.Renderer}.
 *
 * <pre>{@code
 * XYChart chart = QuickChart.getChart("t", "x", "y", "y(x)", xs, ys);
 * display(chart);        // PNG
 * display(svg(chart));   // SVG
 * }</pre>
 */
public final class ChartRenderer implements Renderer {

    private static final String CHART = "org.knowm.xchart.internal.chartpart.Chart";

    @Override
    public boolean accepts(Object value) {
        return Renderers.isA(value, CHART);
    }

    @Override
    public MimeBundle render(Object value, RenderRequest request) throws IOException {
        Chart<?, ?> chart = (Chart<?, ?>) value;
        String plain = "[" + value.getClass().getSimpleName() + " " + chart.getWidth() + "x" + chart.getHeight()
                + (chart.getTitle() == null || chart.getTitle().isEmpty() ? "" : ": " + chart.getTitle()) + "]";
        if (request.svg()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return MimeBundle.of("image/svg+xml", out.toString(StandardCharsets.UTF_8)).with("text/plain", plain);
        }
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return MimeBundle.png(png, chart.getWidth(), chart.getHeight()).with("text/plain", plain);
    }
}
