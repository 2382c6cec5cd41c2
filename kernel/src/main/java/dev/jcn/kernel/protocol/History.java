package dev.jcn.kernel.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The inputs (and text results) of this kernel session's cells, for {@code history_request}:
 * {@code tail}, {@code range} and {@code search} with glob patterns, as IPython answers them.
 *
 * <pre>{@code
 * History h = new History();
 * h.add(1, "int x = 6 * 7;", null);
 * h.add(2, "x", "42");
 * h.tail(1);                    // [Entry(1, 2, "x", "42")]
 * h.search("x*", 10, true);     // newest first is kept, returned oldest first
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class History {

    /** The session number this kernel reports; 0 in a request also means "this session". */
    public static final int SESSION = 1;

    /** One cell: session, execution count, input, and its text result (null when none). */
    public record Entry(int session, int line, String input, String output) {}

    private final List<Entry> entries = new ArrayList<>();

    /** Records a cell that ran with {@code store_history}. */
    public synchronized void add(int line, String input, String output) {
        entries.add(new Entry(SESSION, line, input, output));
    }

    /** The last {@code n} cells, oldest first. */
    public synchronized List<Entry> tail(int n) {
        int from = Math.max(0, entries.size() - Math.max(0, n));
        return List.copyOf(entries.subList(from, entries.size()));
    }

    /** Cells {@code start <= line < stop} of {@code session} (0 or {@link #SESSION}); stop ≤ 0 means to the end. */
    public synchronized List<Entry> range(int session, int start, int stop) {
        if (session != 0 && session != SESSION) {
            return List.of();
        }
        return entries.stream()
                .filter(e -> e.line() >= start && (stop <= 0 || e.line() < stop))
                .toList();
    }

    /**
     * Cells whose whole input matches the glob {@code pattern} ({@code *} any text, {@code ?} one
     * character), the last {@code n} of them (all when n ≤ 0), each input once when {@code unique}.
     */
    public synchronized List<Entry> search(String pattern, int n, boolean unique) {
        Pattern regex = glob(pattern);
        List<Entry> hits = entries.stream().filter(e -> regex.matcher(e.input()).matches()).toList();
        if (unique) {
            Map<String, Entry> newest = new LinkedHashMap<>();
            for (Entry e : hits) {
                newest.remove(e.input());
                newest.put(e.input(), e);
            }
            hits = List.copyOf(newest.values());
        }
        return n > 0 && hits.size() > n ? hits.subList(hits.size() - n, hits.size()) : hits;
    }

    static Pattern glob(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
