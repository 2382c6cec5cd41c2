package dev.jcn.kernel.display;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.execution.MimeBundle;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.QuickChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

class RenderersTest {

    private static String data(MimeBundle b, String mime) {
        return b.data().has(mime) ? b.data().get(mime).getAsString() : null;
    }

    @Test
    void plainTextOfValues() {
        assertThat(data(Renderers.render(42), "text/plain")).isEqualTo("42");
        assertThat(data(Renderers.render(null), "text/plain")).isEqualTo("null");
        assertThat(data(Renderers.render(new int[] {1, 2}), "text/plain")).isEqualTo("[1, 2]");
        assertThat(data(Renderers.render(new String[][] {{"a"}, {"b"}}), "text/plain")).isEqualTo("[[a], [b]]");
    }

    @Test
    void htmlAndMarkdownKeepTheirType() {
        assertThat(data(Renderers.render(Display.html("<b>x</b>")), "text/html")).isEqualTo("<b>x</b>");
        assertThat(data(Renderers.render(Display.markdown("*x*")), "text/markdown")).isEqualTo("*x*");
        assertThat(data(Renderers.render(Display.svg("<svg/>")), "image/svg+xml")).isEqualTo("<svg/>");
    }

    @Test
    void imagesArePngWithTheirSize() {
        MimeBundle b = Renderers.render(new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB));
        assertThat(data(b, "image/png")).startsWith("iVBORw0KGgo");
        assertThat(b.metadata().getAsJsonObject("image/png").get("width").getAsInt()).isEqualTo(30);
        assertThat(data(b, "text/plain")).isEqualTo("[image 30x20]");
    }

    @Test
    void chartsArePngOrSvgOnRequest() {
        XYChart chart = QuickChart.getChart("squares", "x", "y", "y", new double[] {1, 2, 3}, new double[] {1, 4, 9});
        assertThat(data(Renderers.render(chart), "image/png")).startsWith("iVBORw0KGgo");
        MimeBundle svg = Renderers.render(Display.svg(chart));
        assertThat(data(svg, "image/svg+xml")).contains("<svg");
        assertThat(data(svg, "text/plain")).contains("squares");
    }

    @Test
    void bigTablesAreCutWithANote() {
        int[] values = new int[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Table t = Table.create("numbers").addColumns(IntColumn.create("n<", values));
        String html = data(Renderers.render(t), "text/html");
        assertThat(html).contains("<th>n&lt;</th>").contains("<td>0</td>").contains("<td>99</td>")
                .contains("60 rows not shown").doesNotContain("<td>50</td>").contains("100 rows × 1 column");
    }

    @Test
    void aRendererThatFailsFallsBackToText() {
        Renderer broken = new Renderer() {
            @Override
            public boolean accepts(Object value) {
                return true;
            }

            @Override
            public MimeBundle render(Object value, RenderRequest request) {
                throw new IllegalStateException("broken");
            }
        };
        assertThat(broken.priority()).isZero();
        assertThat(data(Renderers.render("text"), "text/plain")).isEqualTo("text");
    }
}
