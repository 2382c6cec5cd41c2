package dev.jcn.kernel.execution;

import dev.jcn.kernel.wire.Reply;
import dev.jcn.notebook.MimeBundle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code %threads}, {@code %procs} and {@code %stop} show, as text and HTML.
 *
 * <pre>{@code
 * MimeBundle table = Listings.threads(threadsReply.rows());
 * MimeBundle done = Listings.stopped("", stoppedReply);
 * }</pre>
 *
 * <p>Long listings (10,000 virtual threads) show the first {@value #MAX_ROWS} rows and a count per
 * cell (or service), kind and state. A service's threads show the service's name where a cell's
 * threads show the cell's number.
 */
final class Listings {

    static final int MAX_ROWS = 50;

    private Listings() {}

    static MimeBundle threads(List<Reply.ThreadRow> rows) {
        List<String[]> table = new ArrayList<>();
        Map<String, Integer> groups = new TreeMap<>();
        int ofServices = 0;
        for (Reply.ThreadRow r : rows) {
            String kind = r.virtual() ? "virtual" : "platform";
            String owner = r.service().isEmpty() ? Integer.toString(r.cell()) : r.service() + " (service)";
            groups.merge((r.service().isEmpty() ? "cell " + r.cell() : "service " + r.service()) + ", " + kind + ", " + r.state(),
                    1, Integer::sum);
            table.add(new String[] {r.name() + (r.runsCell() ? " (running cell)" : ""), kind, r.state(),
                r.cpuNanos() < 0 ? "-" : Long.toString(r.cpuNanos() / 1_000_000), owner});
            ofServices += r.service().isEmpty() ? 0 : 1;
        }
        int ofCells = rows.size() - ofServices;
        String title;
        if (rows.isEmpty()) {
            title = "no threads started by cells are alive";
        } else if (ofCells == 0) {
            title = ofServices + (ofServices == 1 ? " live thread" : " live threads") + " of services";
        } else {
            title = ofCells + (ofCells == 1 ? " live thread" : " live threads") + " started by cells"
                    + (ofServices == 0 ? "" : ", " + ofServices + " of services");
        }
        return render(title, new String[] {"name", "kind", "state", "cpu ms", "cell"}, table, groups);
    }

    static MimeBundle procs(List<Reply.ProcessRow> rows) {
        List<String[]> table = new ArrayList<>();
        for (Reply.ProcessRow r : rows) {
            table.add(new String[] {Long.toString(r.pid()), Long.toString(r.parent()),
                r.cpuMillis() < 0 ? "-" : Long.toString(r.cpuMillis()), r.cell() == 0 ? "?" : Integer.toString(r.cell()),
                shorten(r.command(), 120)});
        }
        String title = rows.isEmpty() ? "no child processes" : rows.size() + (rows.size() == 1 ? " child process" : " child processes")
                + " of the user JVM (cell = the cell running, or last started, when the process began)";
        return render(title, new String[] {"pid", "parent", "cpu ms", "cell", "command"}, table, Map.of());
    }

    /** What %stop did, in one paragraph; {@code target} is what the user named, empty for everything. */
    static MimeBundle stopped(String target, Reply.Stopped r) {
        if (!target.isEmpty() && r.services().isEmpty() && r.threads().isEmpty() && r.pids().isEmpty() && r.problems().isEmpty()) {
            return MimeBundle.text("no service or thread named \"" + target + "\" and no child process with pid " + target);
        }
        StringBuilder text = new StringBuilder();
        if (!r.services().isEmpty()) {
            text.append("closed ").append(r.services().size()).append(r.services().size() == 1 ? " service" : " services")
                    .append(" (").append(String.join(", ", first(r.services(), 10))).append("), ");
        }
        text.append("stopped ").append(r.threads().size()).append(r.threads().size() == 1 ? " thread" : " threads");
        if (!r.threads().isEmpty()) {
            text.append(" (").append(String.join(", ", first(r.threads(), 10))).append(")");
        }
        if (r.forced() > 0) {
            text.append("; ").append(r.forced()).append(" of them ignored the interrupt and were stopped by force");
        }
        if (r.alive() > 0) {
            text.append("; ").append(r.alive())
                    .append(" still alive (a virtual thread parked where interrupts do not reach, a thread blocked on a monitor"
                            + " that another holds, as in a deadlock, or a thread that caught the stop)");
        }
        text.append(" and ").append(r.pids().size()).append(r.pids().size() == 1 ? " process" : " processes");
        if (!r.pids().isEmpty()) {
            text.append(" (pid ").append(String.join(", ", first(r.pids().stream().map(String::valueOf).toList(), 10))).append(")");
        }
        r.problems().forEach(p -> text.append("\n").append(p));
        return MimeBundle.text(text.toString());
    }

    private static List<String> first(List<String> items, int max) {
        if (items.size() <= max) {
            return items;
        }
        List<String> out = new ArrayList<>(items.subList(0, max));
        out.add("… " + (items.size() - max) + " more");
        return out;
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
