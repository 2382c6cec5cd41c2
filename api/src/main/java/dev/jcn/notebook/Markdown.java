package dev.jcn.notebook;

/**
 * Markdown to be shown rendered, made by {@link Display#markdown(String)}.
 *
 * <pre>{@code
 * display(markdown("**3** threads are running"));
 * }</pre>
 */
public record Markdown(String markdown) {}
