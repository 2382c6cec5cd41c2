/**
 * Jupyter widgets from Java: controls whose state lives in the notebook's JVM and in the page, kept in
 * step over comms (widget protocol 2.1; JupyterLab shows them through jupyterlab_widgets 3).
 *
 * <pre>{@code
 * import dev.jcn.notebook.widgets.*;
 *
 * var workers = new IntRangeSlider("workers", 1, 16, 1, 8);
 * var run = new Button("Run");
 * var out = new Output();
 * run.onClick(() -> out.capture(() -> System.out.println("workers " + workers.low() + ".." + workers.high())));
 * display(new VBox(workers, run, out));
 * }</pre>
 *
 * <p>Listeners run in the notebook's JVM on a thread of the cell that made the widget, one change at a
 * time; the frontend shows the kernel busy while they run, and an exception in one is printed. Where
 * no frontend shows widgets (a headless run), each widget displays as its text, such as
 * {@code IntSlider(value=4)}.
 */
package dev.jcn.notebook.widgets;
