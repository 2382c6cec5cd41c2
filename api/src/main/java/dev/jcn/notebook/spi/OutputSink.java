package dev.jcn.notebook.spi;

import dev.jcn.notebook.MimeBundle;

/**
 * Where a thread's output goes while {@link Host#divertOutput} runs its code instead of to its cell:
 * an Output widget, for instance.
 *
 * <pre>{@code
 * Host.current().divertOutput(new OutputSink() { ... }, () -> System.out.println("into the sink"));
 * }</pre>
 */
public interface OutputSink {

    /** Text written to {@code System.err} ({@code stderr} true) or {@code System.out}. */
    void text(boolean stderr, String text);

    /** A display. */
    void display(MimeBundle bundle);

    /** {@code clearOutput}; with {@code wait}, only when the next output arrives. */
    void clear(boolean wait);
}
