package dev.jcn.kernel.magic;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the magics of a cell. A cell whose first non-blank line starts with {@code %%} is a cell
 * magic; otherwise every line at the top of the cell that starts with {@code %} (blank lines may
 * sit between them) is a line magic, and the first other line starts the Java code. A {@code %}
 * further down belongs to the code (Java's remainder operator can start a continued line).
 *
 * <pre>{@code
 * ParsedCell c = MagicParser.parse("%classpath lib/*.jar\nvar x = 1;");
 * // Lines([Call("classpath", "lib/*.jar")], "\nvar x = 1;")
 * }</pre>
 */
public final class MagicParser {

    private static final Pattern MAGIC = Pattern.compile("(%%?)([A-Za-z_][A-Za-z0-9_.-]*)(?:[ \\t]+(.*))?");

    private MagicParser() {}

    /** Splits {@code source}; a line that starts with {@code %} but names no magic is an error. */
    public static ParsedCell parse(String source) throws MagicException {
        String[] lines = source.split("\n", -1);
        List<ParsedCell.Call> calls = new ArrayList<>();
        int i = 0;
        for (; i < lines.length; i++) {
            String line = stripCr(lines[i]).strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!line.startsWith("%")) {
                break;
            }
            Matcher m = MAGIC.matcher(line);
            if (!m.matches()) {
                throw new MagicException("cannot read magic line '" + line + "': expected %name [arguments]; %lsmagic lists them");
            }
            String args = m.group(3) == null ? "" : m.group(3).strip();
            if (m.group(1).equals("%%")) {
                if (!calls.isEmpty()) {
                    throw new MagicException("cell magic %%" + m.group(2) + " must be the first line of the cell");
                }
                return new ParsedCell.Whole(m.group(2), args, codeFrom(lines, i + 1));
            }
            calls.add(new ParsedCell.Call(m.group(2), args));
        }
        return new ParsedCell.Lines(calls, calls.isEmpty() ? source : codeFrom(lines, i));
    }

    /** Whether every non-blank line of {@code text} starts with {@code %} (a block of magics). */
    public static boolean onlyMagicLines(String text) {
        return text.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("%"));
    }

    /** The source from line {@code first} on, with the lines before it left empty. */
    private static String codeFrom(String[] lines, int first) {
        StringBuilder b = new StringBuilder("\n".repeat(Math.min(first, lines.length - 1)));
        for (int j = first; j < lines.length; j++) {
            b.append(lines[j]);
            if (j < lines.length - 1) {
                b.append('\n');
            }
        }
        return b.toString();
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
