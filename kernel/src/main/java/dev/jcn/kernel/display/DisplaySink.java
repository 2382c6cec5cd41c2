package dev.jcn.kernel.display;

import dev.jcn.kernel.execution.MimeBundle;

/**
 * Where {@link Display} sends bundles; the kernel's agent installs one with {@link Display#connect}.
 *
 * <pre>{@code
 * Display.connect((bundle, id, update) -> channel.send(bundle, id, update));
 * }</pre>
 */
@FunctionalInterface
public interface DisplaySink {

    /** Shows {@code bundle}; with {@code update} true it replaces the display {@code id}. */
    void display(MimeBundle bundle, String id, boolean update);

    /** Clears the cell's output; with {@code wait} true, only when the next output arrives. */
    default void clear(boolean wait) {}
}
