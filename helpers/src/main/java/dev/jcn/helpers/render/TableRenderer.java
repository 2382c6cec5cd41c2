package dev.jcn.helpers.render;

import dev.jcn.notebook.MimeBundle;
import dev.jcn.notebook.RenderRequest;
import dev.jcn.notebook.Renderer;
import dev.jcn.notebook.Renderers;
import java.util.List;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Tablesaw tables as a plain HTML table; big tables show their first and last rows and say how
 * many were left out. Found by the notebook API through {@code META-INF/services/dev.jcn.notebook.Renderer}.
 *
 * <pre>{@code
 * Table t = Table.create("runs").addColumns(IntColumn.create("workers", 1, 2, 4));
 * t    // last value of a cell: rendered as HTML
 * }</pre>
 */
public final class TableRenderer implements Renderer {

    private static final String TABLE = "tech.tablesaw.api.Table";
    static final int MAX_ROWS = 40;
    private static final int HEAD = 30;
    private static final int TAIL = 10;

    @Override
    public boolean accepts(Object value) {
        return Renderers.isA(value, TABLE);
    }

    @Override
    public MimeBundle render(Object value, RenderRequest request) {
        Table table = (Table) value;
        int rows = table.rowCount();
        boolean cut = rows > MAX_ROWS;
        StringBuilder html = new StringBuilder("<table class=\"dataframe\">\n");
        if (table.name() != null && !table.name().isBlank()) {
            html.append("<caption>").append(escape(table.name())).append("</caption>\n");
        }
        html.append("<thead><tr>");
        List<Column<?>> columns = table.columns();
        for (Column<?> c : columns) {
            html.append("<th>").append(escape(c.name())).append("</th>");
        }
        html.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < rows; r++) {
            if (cut && r == HEAD) {
                html.append("<tr><td colspan=\"").append(columns.size()).append("\">… ")
                        .append(rows - HEAD - TAIL).append(" rows not shown …</td></tr>\n");
                r = rows - TAIL;
            }
            html.append("<tr>");
            for (Column<?> c : columns) {
                html.append("<td>").append(escape(c.getString(r))).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
        html.append("<p>").append(rows).append(rows == 1 ? " row" : " rows").append(" × ")
                .append(columns.size()).append(columns.size() == 1 ? " column" : " columns")
                .append(cut ? " (" + (HEAD + TAIL) + " rows shown)" : "").append("</p>");
        String plain = cut ? table.first(HEAD).print() + "\n… " + (rows - HEAD) + " more rows" : table.print();
        return MimeBundle.of("text/html", html.toString()).with("text/plain", plain);
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
