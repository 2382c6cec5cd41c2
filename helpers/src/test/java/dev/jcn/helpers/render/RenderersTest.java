package dev.jcn.helpers.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.notebook.Display;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.Renderers;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.QuickChart;
import org.knowm.xchart.XYChart;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** The helpers' renderers, reached as a notebook reaches them: through the notebook API's registry. */
class RenderersTest {

    @Test
    void chartsArePngWithTheirSizeOrSvgOnRequest() {
        XYChart chart = QuickChart.getChart("squares", "x", "y", "y", new double[] {1, 2, 3}, new double[] {1, 4, 9});
        MimeBundle png = Renderers.render(chart);
        assertThat((String) png.data().get("image/png")).startsWith("iVBORw0KGgo");
        assertThat(png.metadata().get("image/png")).isEqualTo(Map.of("width", chart.getWidth(), "height", chart.getHeight()));
        MimeBundle svg = Renderers.render(Display.svg(chart));
        assertThat((String) svg.data().get("image/svg+xml")).contains("<svg");
        assertThat(svg.text()).contains("squares");
    }

    @Test
    void bigTablesAreCutWithANote() {
        int[] values = new int[100];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        Table t = Table.create("numbers").addColumns(IntColumn.create("n<", values));
        String html = (String) Renderers.render(t).data().get("text/html");
        assertThat(html).contains("<th>n&lt;</th>").contains("<td>0</td>").contains("<td>99</td>")
                .contains("60 rows not shown").doesNotContain("<td>50</td>").contains("100 rows × 1 column");
    }
}
