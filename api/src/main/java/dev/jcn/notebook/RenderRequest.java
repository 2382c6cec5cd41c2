package dev.jcn.notebook;

/**
 * What the caller asked for besides the default rendering.
 *
 * <pre>{@code
 * Renderers.render(chart, RenderRequest.SVG);
 * }</pre>
 *
 * @param svg whether vector output ({@code image/svg+xml}) is wanted instead of PNG
 */
public record RenderRequest(boolean svg) {

    /** The default: raster images, HTML tables, plain text. */
    public static final RenderRequest DEFAULT = new RenderRequest(false);

    /** Charts and images as SVG. */
    public static final RenderRequest SVG = new RenderRequest(true);
}
