package dev.jcn.kernel.execution;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.jcn.notebook.MimeBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tables shown by {@code %threads} and {@code %procs}, as text and HTML.
 *
 * <pre>{@code
 * MimeBundle table = Listings.threads(rowsFromTheAgent);
 * }</pre>
 *
 * <p>Long listings (10,000 virtual threads) show the first {@value #MAX_ROWS} rows and a count per
 * cell, kind and state.
 */
final class Listings {

    static final int MAX_ROWS = 50;

    private Listings() {}

    static MimeBundle threads(JsonArray rows) {
        List<String[]> table = new ArrayList<>();
        Map<String, Integer> groups = new TreeMap<>();
        for (JsonElement e : rows) {
            JsonObject r = e.getAsJsonObject();
            long cpu = r.get("cpuNanos").getAsLong();
            String kind = r.get("virtual").getAsBoolean() ? "virtual" : "platform";
            String cell = Integer.toString(r.get("cell").getAsInt());
            groups.merge("cell " + cell + ", " + kind + ", " + r.get("state").getAsString(), 1, Integer::sum);
            table.add(new String[] {
                r.get("name").getAsString() + (r.get("cellThread").getAsBoolean() ? " (running cell)" : ""),
                kind, r.get("state").getAsString(), cpu < 0 ? "-" : Long.toString(cpu / 1_000_000), cell});
        }
        String title = rows.isEmpty() ? "no threads started by cells are alive"
                : rows.size() + (rows.size() == 1 ? " live thread" : " live threads") + " started by cells";
        return render(title, new String[] {"name", "kind", "state", "cpu ms", "cell"}, table, groups);
    }

    static MimeBundle procs(JsonArray rows) {
        List<String[]> table = new ArrayList<>();
        for (JsonElement e : rows) {
            JsonObject r = e.getAsJsonObject();
            long cpu = r.get("cpuMillis").getAsLong();
            int cell = r.get("cell").getAsInt();
            table.add(new String[] {
                Long.toString(r.get("pid").getAsLong()), Long.toString(r.get("parent").getAsLong()),
                cpu < 0 ? "-" : Long.toString(cpu), cell == 0 ? "?" : Integer.toString(cell),
                shorten(r.get("command").getAsString(), 120)});
        }
        String title = rows.isEmpty() ? "no child processes" : rows.size() + (rows.size() == 1 ? " child process" : " child processes")
                + " of the user JVM (cell = the cell running, or last started, when the process began)";
        return render(title, new String[] {"pid", "parent", "cpu ms", "cell", "command"}, table, Map.of());
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static MimeBundle render(String title, String[] header, List<String[]> rows, Map<String, Integer> groups) {
        int shown = Math.min(rows.size(), MAX_ROWS);
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = header[c].length();
            for (int r = 0; r < shown; r++) {
                width[c] = Math.max(width[c], rows.get(r)[c].length());
            }
        }
        StringBuilder text = new StringBuilder(title).append('\n');
        StringBuilder html = new StringBuilder("<p>").append(escape(title)).append("</p>\n");
        if (!rows.isEmpty()) {
            line(text, header, width);
            html.append("<table>\n<thead><tr>");
            for (String h : header) {
                html.append("<th>").append(escape(h)).append("</th>");
            }
            html.append("</tr></thead>\n<tbody>\n");
            for (int r = 0; r < shown; r++) {
                line(text, rows.get(r), width);
                html.append("<tr>");
                for (String cell : rows.get(r)) {
                    html.append("<td>").append(escape(cell)).append("</td>");
                }
                html.append("</tr>\n");
            }
            html.append("</tbody>\n</table>\n");
        }
        if (rows.size() > shown) {
            StringBuilder more = new StringBuilder("… ").append(rows.size() - shown).append(" more; all of them by cell, kind and state:\n");
            groups.forEach((k, v) -> more.append("  ").append(k).append(": ").append(v).append('\n'));
            text.append(more);
            html.append("<pre>").append(escape(more.toString())).append("</pre>\n");
        }
        return MimeBundle.text(text.toString().stripTrailing()).with("text/html", html.toString());
    }

    private static void line(StringBuilder text, String[] cells, int[] width) {
        for (int c = 0; c < cells.length; c++) {
            text.append(c == cells.length - 1 ? cells[c] : String.format("%-" + width[c] + "s  ", cells[c]));
        }
        text.append('\n');
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
