/**
 * The notebook API: what code in a notebook cell sees of the kernel it runs in. Every cell imports
 * {@link dev.jcn.notebook.Display}'s functions statically; libraries (the helpers among them) compile
 * against this package alone.
 *
 * <pre>{@code
 * String id = display(markdown("working..."));          // rich output, from any thread
 * updateDisplay(id, html("<b>done</b>"));
 * MimeBundle table = Renderers.render(myTable);         // how a value would show
 * var server = Service.start("server", () -> SlowServer.virtualThreads(delay), SlowServer::close);
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.jcn.notebook.Display}: {@code display}, {@code updateDisplay}, {@code clearOutput},
 *       {@code html}, {@code markdown}, {@code svg}.</li>
 *   <li>{@link dev.jcn.notebook.MimeBundle}: one value in several MIME types, with JSON values as plain
 *       Java objects.</li>
 *   <li>{@link dev.jcn.notebook.Renderer} and {@link dev.jcn.notebook.Renderers}: how values become
 *       bundles; libraries add renderers through {@code META-INF/services/dev.jcn.notebook.Renderer}.</li>
 *   <li>{@link dev.jcn.notebook.Service}: long-lived background work whose threads belong to no cell.</li>
 *   <li>{@link dev.jcn.notebook.Input}: lines typed by the reader, a password hidden as it is typed.</li>
 *   <li>{@link dev.jcn.notebook.Comm}: Jupyter comms, JSON messages and binary buffers to and from the
 *       frontend (widgets are built on them).</li>
 * </ul>
 *
 * <p>The module depends on nothing but the JDK and knows nothing of the kernel's inside: the kernel
 * plugs in through {@link dev.jcn.notebook.spi.Host}. So a jar that a cell adds with {@code %maven}
 * never meets a second copy of one of its libraries through this module.
 */
package dev.jcn.notebook;
