package dev.jcn.kernel.testing;

import dev.jcn.kernel.execution.ClasspathChange;
import dev.jcn.kernel.execution.Completeness;
import dev.jcn.kernel.execution.Completion;
import dev.jcn.kernel.execution.ExecuteResult;
import dev.jcn.kernel.execution.Inspection;
import dev.jcn.kernel.execution.Interpreter;
import dev.jcn.kernel.execution.InterpreterEvents;
import dev.jcn.notebook.MimeBundle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for the Java interpreter, so the protocol layer can be tested alone. Each line of a
 * cell is a command:
 * <ul>
 *   <li>{@code out TEXT} / {@code err TEXT}: a line on stdout / stderr</li>
 *   <li>{@code fail NAME MESSAGE}: the cell fails</li>
 *   <li>{@code display MIME TEXT}: a display; {@code clear}: clear_output</li>
 *   <li>{@code block}: waits until interrupted (at most 30 s), then fails as {@code Interrupted}</li>
 *   <li>anything else: its text is the cell's value</li>
 * </ul>
 * Inspecting {@code explode} throws, as a broken interpreter might.
 *
 * <pre>{@code
 * Interpreter in = new FakeInterpreter(events);
 * in.execute(1, "out hello\n6*7");   // prints "hello", value "6*7"
 * }</pre>
 */
public final class FakeInterpreter implements Interpreter {

    private static final List<String> WORDS = List.of("println", "printf", "print", "Thread", "ThreadLocal");

    private final InterpreterEvents events;
    private volatile CountDownLatch interrupt = new CountDownLatch(1);
    /** Counts down when a {@code block} command starts waiting. */
    public final CountDownLatch blocking = new CountDownLatch(1);
    public final List<Path> classpath = new CopyOnWriteArrayList<>();
    public final List<String> stopped = new CopyOnWriteArrayList<>();
    public volatile boolean started;
    public volatile boolean closed;

    /** A fake reporting to {@code events}. */
    public FakeInterpreter(InterpreterEvents events) {
        this.events = events;
    }

    /** The sink this fake reports to, so a test can write as a background thread of some cell would. */
    public InterpreterEvents events() {
        return events;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public ExecuteResult execute(int cell, String code) {
        MimeBundle value = null;
        String thread = Thread.currentThread().getName();
        for (String line : code.strip().split("\n")) {
            String[] w = line.strip().split(" ", 3);
            switch (w[0]) {
                case "" -> { }
                case "out" -> events.stream(cell, thread, "stdout", line.strip().substring(4) + "\n");
                case "err" -> events.stream(cell, thread, "stderr", line.strip().substring(4) + "\n");
                case "fail" -> {
                    return new ExecuteResult.Failed(w[1], w.length > 2 ? w[2] : "", List.of(w[1] + ": " + (w.length > 2 ? w[2] : "")));
                }
                case "display" -> {
                    events.display(cell, MimeBundle.of(w[1], w[2]), "d" + cell, false);
                }
                case "clear" -> events.clearOutput(cell, false);
                case "block" -> {
                    blocking.countDown();
                    try {
                        interrupt.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    interrupt = new CountDownLatch(1);
                    return new ExecuteResult.Failed("Interrupted", "stopped by interrupt", List.of("Interrupted"));
                }
                default -> value = MimeBundle.text(line.strip());
            }
        }
        return new ExecuteResult.Ok(value);
    }

    @Override
    public Completion complete(String code, int cursor) {
        int start = cursor;
        while (start > 0 && Character.isLetter(code.charAt(start - 1))) {
            start--;
        }
        String prefix = code.substring(start, cursor);
        return new Completion(WORDS.stream().filter(w -> w.startsWith(prefix)).map(w -> Completion.Item.of(w, "class")).toList(), start, cursor);
    }

    @Override
    public Inspection inspect(String code, int cursor, int detailLevel) {
        String word = code.strip();
        if (word.equals("explode")) {
            throw new IllegalStateException("inspection exploded");
        }
        return word.isEmpty() ? new Inspection(false, null) : new Inspection(true, MimeBundle.text("doc of " + word));
    }

    @Override
    public Completeness isComplete(String code) {
        long open = code.chars().filter(c -> c == '{').count();
        long close = code.chars().filter(c -> c == '}').count();
        if (close > open) {
            return new Completeness("invalid", "");
        }
        return open > close ? new Completeness("incomplete", "    ") : new Completeness("complete", "");
    }

    @Override
    public void interrupt() {
        interrupt.countDown();
    }

    @Override
    public ClasspathChange addToClasspath(List<Path> entries) {
        classpath.addAll(entries);
        return new ClasspathChange(entries, List.of());
    }

    @Override
    public MimeBundle threads() {
        return MimeBundle.text("no threads");
    }

    @Override
    public MimeBundle threadStacks() {
        return MimeBundle.text("no stacks");
    }

    @Override
    public MimeBundle procs() {
        return MimeBundle.text("no processes");
    }

    @Override
    public MimeBundle stop(String target) {
        stopped.add(target);
        return MimeBundle.text("stopped " + (target.isEmpty() ? "everything" : target));
    }

    @Override
    public void close() {
        closed = true;
        interrupt.countDown();
    }
}
