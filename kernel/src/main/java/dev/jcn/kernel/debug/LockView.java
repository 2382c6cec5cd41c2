package dev.jcn.kernel.debug;

import dev.jcn.kernel.wire.Reply;
import dev.jcn.notebook.MimeBundle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code %threads} shows about locks: the stack view of {@code %threads --stacks}, and the
 * deadlocks found among the threads, each printed as its cycle.
 *
 * <pre>{@code
 * List<String> cycles = LockView.deadlocks(reply.threads());
 * // ["deadlock: left holds Object@1b6d3586, waits for Object@4554617c held by right, which waits for Object@1b6d3586"]
 * MimeBundle view = LockView.stacks(reply.threads());
 * }</pre>
 */
public final class LockView {

    /** Threads shown with their stacks; the ones waiting for a lock come first. */
    static final int MAX_THREADS = 50;

    private LockView() {}

    /**
     * One line per deadlock: a cycle of threads each waiting for a lock the next one holds. The cycle
     * starts at its oldest thread (lowest id), so the same deadlock always reads the same.
     */
    public static List<String> deadlocks(List<Reply.ThreadStack> threads) {
        Map<Long, Reply.ThreadStack> byId = new HashMap<>();
        threads.forEach(t -> byId.put(t.id(), t));
        Set<Long> seen = new HashSet<>();
        List<String> lines = new ArrayList<>();
        for (Reply.ThreadStack start : threads.stream().sorted(Comparator.comparingLong(Reply.ThreadStack::id)).toList()) {
            LinkedHashSet<Long> path = new LinkedHashSet<>();
            Reply.ThreadStack t = start;
            while (t != null && !seen.contains(t.id()) && path.add(t.id())) {
                t = byId.get(t.holderId());
            }
            if (t != null && path.contains(t.id())) {
                List<Reply.ThreadStack> cycle = new ArrayList<>();
                boolean in = false;
                for (long id : path) {
                    in |= id == t.id();
                    if (in) {
                        cycle.add(byId.get(id));
                    }
                }
                lines.add(sentence(cycle));
            }
            seen.addAll(path);
        }
        return lines;
    }

    /** "A holds L1, waits for L2 held by B, which waits for L1", for any number of threads. */
    private static String sentence(List<Reply.ThreadStack> cycle) {
        int first = 0;
        for (int i = 1; i < cycle.size(); i++) {
            if (cycle.get(i).id() < cycle.get(first).id()) {
                first = i;
            }
        }
        List<Reply.ThreadStack> order = new ArrayList<>(cycle.subList(first, cycle.size()));
        order.addAll(cycle.subList(0, first));
        Reply.ThreadStack a = order.get(0);
        StringBuilder s = new StringBuilder("deadlock: ").append(a.name()).append(" holds ")
                .append(order.get(order.size() - 1).waitsFor()).append(", waits for ").append(a.waitsFor());
        for (int i = 1; i < order.size(); i++) {
            s.append(" held by ").append(order.get(i).name()).append(", which waits for ").append(order.get(i).waitsFor());
        }
        return s.toString();
    }

    /** {@code listing} (the table of %threads) followed by the deadlocks among {@code threads}, if any. */
    public static MimeBundle withDeadlocks(MimeBundle listing, List<Reply.ThreadStack> threads) {
        List<String> cycles = deadlocks(threads);
        if (cycles.isEmpty()) {
            return listing;
        }
        String text = String.join("\n", cycles);
        Object html = listing.data().get("text/html");
        MimeBundle out = MimeBundle.text(listing.data().get("text/plain") + "\n\n" + text);
        return html == null ? out : out.with("text/html", html + "<pre>" + escape(text) + "</pre>\n");
    }

    /** The stack view: each thread's state, the lock it waits for and who holds it, its locks and its stack. */
    public static MimeBundle stacks(List<Reply.ThreadStack> threads) {
        List<Reply.ThreadStack> shown = threads.stream()
                .sorted(Comparator.comparing((Reply.ThreadStack t) -> t.waitsFor().isEmpty()))
                .limit(MAX_THREADS).toList();
        StringBuilder text = new StringBuilder();
        text.append(threads.isEmpty() ? "no threads started by cells are alive"
                : threads.size() + (threads.size() == 1 ? " live thread" : " live threads") + " of cells and services");
        text.append('\n');
        for (Reply.ThreadStack t : shown) {
            text.append('\n').append(t.name()).append(" (").append(t.virtual() ? "virtual" : "platform").append(", ")
                    .append(t.state()).append(", ").append(t.service().isEmpty() ? "cell " + t.cell() : "service " + t.service())
                    .append(")\n");
            if (!t.waitsFor().isEmpty()) {
                text.append("  waits for ").append(t.waitsFor()).append(" held by ")
                        .append(t.holder().isEmpty() ? "a thread no cell started" : t.holder()).append('\n');
            }
            if (!t.holds().isEmpty()) {
                text.append("  holds ").append(String.join(", ", t.holds())).append('\n');
            }
            t.stack().forEach(line -> text.append("    ").append(line).append('\n'));
        }
        if (threads.size() > shown.size()) {
            text.append("\n… ").append(threads.size() - shown.size()).append(" more threads (%threads counts them all)\n");
        }
        List<String> cycles = deadlocks(threads);
        text.append('\n').append(cycles.isEmpty() ? "no deadlock" : String.join("\n", cycles));
        String plain = text.toString().stripTrailing();
        return MimeBundle.text(plain).with("text/html", "<pre>" + escape(plain) + "</pre>\n");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
