package dev.jcn.kernel.magic;

import java.util.List;

/**
 * A cell split into its magics and its Java code by {@link MagicParser}. Magic lines are replaced
 * by empty lines in the code, so compiler diagnostics keep the cell's own line numbers.
 *
 * <pre>{@code
 * switch (MagicParser.parse(source)) {
 *     case ParsedCell.Lines(var magics, var code) -> ...
 *     case ParsedCell.Whole(var name, var args, var body) -> ...
 * }
 * }</pre>
 */
public sealed interface ParsedCell {

    /** One {@code %name arguments} line. */
    record Call(String name, String arguments) {}

    /** Line magics from the top of the cell (possibly none), then the Java code. */
    record Lines(List<Call> magics, String code) implements ParsedCell {
        /** Copies the list. */
        public Lines {
            magics = List.copyOf(magics);
        }
    }

    /** A cell magic: {@code %%name arguments}, then the body it runs over. */
    record Whole(String name, String arguments, String body) implements ParsedCell {}
}
