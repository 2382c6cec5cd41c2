package dev.jcn.helpers.spinner;

import java.time.Duration;

/**
 * What a supervised piece of work returned, and how many spinner frames were drawn while it ran.
 *
 * <pre>{@code
 * SpinOutcome<Integer> o = ScopedSpinner.supervise("thinking!", () -> 42);
 * o.value();  o.frames();  o.elapsed();
 * }</pre>
 *
 * @param value   the work's result
 * @param frames  spinner frames drawn while the work ran
 * @param elapsed how long the work took
 * @param <T>     the result type
 */
public record SpinOutcome<T>(T value, int frames, Duration elapsed) {
}
