package dev.jcn.notebook;

/**
 * A request to show {@code value} as {@code image/svg+xml}: SVG text, an XChart chart or an image.
 *
 * <pre>{@code
 * display(svg(chart));
 * }</pre>
 */
public record Svg(Object value) {}
