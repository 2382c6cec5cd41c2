package dev.jcn.notebook;

/**
 * HTML to be shown as such, made by {@link Display#html(String)}.
 *
 * <pre>{@code
 * display(html("<b>done</b>"));
 * }</pre>
 */
public record Html(String html) {}
