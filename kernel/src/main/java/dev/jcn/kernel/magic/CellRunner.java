package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;
import dev.jcn.kernel.execution.Interpreter;
import dev.jcn.kernel.execution.InterpreterEvents;
import dev.jcn.notebook.MimeBundle;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a notebook cell: its magics first, in order, then its Java code through the interpreter.
 * The first failure ends the cell. A magic's failure becomes a one-line {@code MagicError}.
 *
 * <pre>{@code
 * CellRunner runner = new CellRunner(MagicRegistry.standard());
 * ExecuteResult r = runner.run(3, "%time Thread.sleep(100)", interpreter, events);
 * }</pre>
 *
 * <p>The result of the cell is the result of its last step (code, or a magic such as {@code %time}).
 */
public final class CellRunner {

    /** The ename of every magic failure. */
    public static final String MAGIC_ERROR = "MagicError";

    /** How deep {@code %load} may nest before it is taken for a loop. */
    private static final int MAX_DEPTH = 8;

    private final MagicRegistry registry;

    /** A runner using the magics of {@code registry}. */
    public CellRunner(MagicRegistry registry) {
        this.registry = registry;
    }

    /** Runs {@code source} as cell {@code cell}; output goes to {@code events}, pager text is dropped. */
    public ExecuteResult run(int cell, String source, Interpreter interpreter, InterpreterEvents events) {
        return run(cell, source, interpreter, events, page -> { });
    }

    /** Runs {@code source} as cell {@code cell}; output goes to {@code events}, pager text to {@code pager}. */
    public ExecuteResult run(int cell, String source, Interpreter interpreter, InterpreterEvents events,
            Consumer<MimeBundle> pager) {
        Context ctx = new Context(cell, interpreter, events, pager);
        try {
            return ctx.execute(source);
        } catch (MagicException e) {
            return magicError(e.getMessage());
        }
    }

    /** The failure shown for a magic that could not run: one line, no stack trace. */
    public static ExecuteResult.Failed magicError(String message) {
        return new ExecuteResult.Failed(MAGIC_ERROR, message, List.of(MAGIC_ERROR + ": " + message));
    }

    private final class Context implements MagicContext {

        private final int cell;
        private final Interpreter interpreter;
        private final InterpreterEvents events;
        private final Consumer<MimeBundle> pager;
        private int depth;

        Context(int cell, Interpreter interpreter, InterpreterEvents events, Consumer<MimeBundle> pager) {
            this.cell = cell;
            this.interpreter = interpreter;
            this.events = events;
            this.pager = pager;
        }

        @Override
        public void page(MimeBundle bundle) {
            pager.accept(bundle);
        }

        @Override
        public Interpreter interpreter() {
            return interpreter;
        }

        @Override
        public int cell() {
            return cell;
        }

        @Override
        public void print(String text) {
            events.stream(cell, Thread.currentThread().getName(), "stdout", text);
        }

        @Override
        public void display(MimeBundle bundle) {
            events.display(cell, bundle, null, false);
        }

        @Override
        public ExecuteResult execute(String code) throws MagicException {
            if (depth >= MAX_DEPTH) {
                throw new MagicException("magics nested more than " + MAX_DEPTH + " deep (does a %load file load itself?)");
            }
            depth++;
            try {
                return switch (MagicParser.parse(code)) {
                    case ParsedCell.Whole(String name, String args, String body) -> {
                        CellMagic magic = registry.cell(name);
                        if (magic == null) {
                            throw new MagicException("unknown cell magic %%" + name + "; %lsmagic lists the magics");
                        }
                        yield magic.run(args, body, this);
                    }
                    case ParsedCell.Lines(List<ParsedCell.Call> calls, String rest) -> runLines(calls, rest);
                };
            } finally {
                depth--;
            }
        }

        private ExecuteResult runLines(List<ParsedCell.Call> calls, String code) throws MagicException {
            ExecuteResult last = new ExecuteResult.Ok(null);
            for (ParsedCell.Call call : calls) {
                LineMagic magic = registry.line(call.name());
                if (magic == null) {
                    String hint = registry.cell(call.name()) != null ? " (it is a cell magic: write %%" + call.name() + " on the first line)" : "";
                    throw new MagicException("unknown magic %" + call.name() + hint + "; %lsmagic lists the magics");
                }
                last = magic.run(call.arguments(), this);
                if (last instanceof ExecuteResult.Failed) {
                    return last;
                }
            }
            if (!code.isBlank()) {
                last = interpreter.execute(cell, code);
            }
            return last;
        }
    }
}
