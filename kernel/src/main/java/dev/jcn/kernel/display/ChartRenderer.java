package dev.jcn.kernel.display;

import dev.jcn.kernel.execution.MimeBundle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * XChart charts as {@code image/png}, or {@code image/svg+xml} on request.
 *
 * <pre>{@code
 * XYChart chart = QuickChart.getChart("t", "x", "y", "y(x)", xs, ys);
 * display(chart);        // PNG
 * display(svg(chart));   // SVG
 * }</pre>
 */
final class ChartRenderer implements Renderer {

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
            return Renderers.bundle("image/svg+xml", out.toString(StandardCharsets.UTF_8), plain);
        }
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        return ImageRenderer.png(Base64.getEncoder().encodeToString(png), chart.getWidth(), chart.getHeight(), plain);
    }
}
