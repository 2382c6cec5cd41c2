package dev.jcn.kernel.protocol;

import java.time.Duration;

/**
 * One interrupt gesture can reach the kernel twice: a frontend that sends both a SIGINT and an
 * {@code interrupt_request}, or Ctrl-C in a console while JupyterLab's button is pressed. The two are
 * handled on different threads, and under load the later one can be handled after the cell it meant
 * has ended, when it would stop the next cell instead. So an interrupt from one source that follows
 * one from the other source within {@link #SAME_GESTURE} is taken as the same gesture and does
 * nothing. Two interrupts from the same source always count.
 *
 * <p>Thread safe: the signal handler's thread and the control thread call {@link #admit} at once.
 */
final class InterruptSources {

    enum Source {
        SIGNAL, REQUEST
    }

    static final Duration SAME_GESTURE = Duration.ofSeconds(1);

    private Source last;
    private long lastAt;

    /** Whether an interrupt from {@code source} at {@code nanoTime} should interrupt the cell. */
    synchronized boolean admit(Source source, long nanoTime) {
        boolean echo = last != null && last != source && nanoTime - lastAt < SAME_GESTURE.toNanos();
        if (!echo) {
            last = source;
            lastAt = nanoTime;
        }
        return !echo;
    }
}
