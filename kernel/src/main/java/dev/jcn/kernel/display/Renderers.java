package dev.jcn.kernel.display;

import com.google.gson.JsonObject;
import dev.jcn.kernel.execution.MimeBundle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The renderer registry: built-ins for charts, images and tables, plus any {@link Renderer}
 * found through {@link ServiceLoader} on the user code's class path.
 *
 * <pre>{@code
 * MimeBundle bundle = Renderers.render(table);          // text/html + text/plain
 * MimeBundle vector = Renderers.render(chart, RenderRequest.SVG);
 * }</pre>
 */
public final class Renderers {

    private static volatile List<Renderer> registry;

    private Renderers() {}

    /** The default rendering of {@code value}. */
    public static MimeBundle render(Object value) {
        return render(value, RenderRequest.DEFAULT);
    }

    /** Renders {@code value}; always includes {@code text/plain}. */
    public static MimeBundle render(Object value, RenderRequest request) {
        MimeBundle bundle = switch (value) {
            case Svg svg when svg.value() instanceof String text -> bundle("image/svg+xml", text, "[SVG image]");
            case Svg svg -> render(svg.value(), RenderRequest.SVG);
            case Html html -> bundle("text/html", html.html(), html.html());
            case Markdown md -> bundle("text/markdown", md.markdown(), md.markdown());
            case MimeBundle given -> given;
            case null -> MimeBundle.text("null");
            default -> byRenderer(value, request);
        };
        if (!bundle.data().has("text/plain")) {
            bundle.data().addProperty("text/plain", plain(value));
        }
        return bundle;
    }

    private static MimeBundle byRenderer(Object value, RenderRequest request) {
        for (Renderer r : renderers()) {
            boolean accepts;
            try {
                accepts = r.accepts(value);
            } catch (RuntimeException | LinkageError e) {
                accepts = false;
            }
            if (accepts) {
                try {
                    MimeBundle b = r.render(value, request);
                    if (b != null) {
                        return b;
                    }
                } catch (Exception | LinkageError e) {
                    return MimeBundle.text(plain(value) + "\n(" + r.getClass().getSimpleName() + " failed: " + e + ")");
                }
            }
        }
        return MimeBundle.text(plain(value));
    }

    /** Forgets the service-loaded renderers, e.g. after jars were added to the class path. */
    public static void reload() {
        registry = null;
    }

    private static List<Renderer> renderers() {
        List<Renderer> r = registry;
        if (r == null) {
            List<Renderer> found = new ArrayList<>(List.of(new ChartRenderer(), new ImageRenderer(), new TableRenderer()));
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try {
                ServiceLoader.load(Renderer.class, loader).forEach(found::add);
            } catch (ServiceConfigurationError e) {
                System.err.println("a display renderer could not be loaded: " + e.getMessage());
            }
            found.sort(Comparator.comparingInt(Renderer::priority).reversed());
            registry = r = List.copyOf(found);
        }
        return r;
    }

    /** {@code value} as text: arrays element by element, {@code null} as "null". */
    public static String plain(Object value) {
        try {
            return switch (value) {
                case null -> "null";
                case Object[] array -> Arrays.deepToString(array);
                case int[] a -> Arrays.toString(a);
                case long[] a -> Arrays.toString(a);
                case double[] a -> Arrays.toString(a);
                case float[] a -> Arrays.toString(a);
                case byte[] a -> Arrays.toString(a);
                case short[] a -> Arrays.toString(a);
                case char[] a -> Arrays.toString(a);
                case boolean[] a -> Arrays.toString(a);
                default -> String.valueOf(value);
            };
        } catch (RuntimeException e) {
            return value.getClass().getName() + " (toString failed: " + e + ")";
        }
    }

    /** The text/plain part of a bundle. */
    static String plainText(MimeBundle bundle) {
        return bundle.data().has("text/plain") ? bundle.data().get("text/plain").getAsString() : "";
    }

    /** A bundle of one MIME type plus its text/plain fallback. */
    static MimeBundle bundle(String mime, String content, String plain) {
        JsonObject data = new JsonObject();
        data.addProperty(mime, content);
        data.addProperty("text/plain", plain);
        return new MimeBundle(data, new JsonObject());
    }

    /** Whether {@code value}'s class or a superclass has the name {@code className} (without loading it). */
    static boolean isA(Object value, String className) {
        for (Class<?> c = value == null ? null : value.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    /** A bundle as the JSON object {@code {"data":..., "metadata":...}}. */
    public static JsonObject toJson(MimeBundle bundle) {
        JsonObject o = new JsonObject();
        o.add("data", bundle.data());
        o.add("metadata", bundle.metadata());
        return o;
    }

    /** The inverse of {@link #toJson}. */
    public static MimeBundle fromJson(JsonObject o) {
        JsonObject data = o.has("data") ? o.getAsJsonObject("data") : new JsonObject();
        JsonObject metadata = o.has("metadata") ? o.getAsJsonObject("metadata") : new JsonObject();
        return new MimeBundle(data, metadata);
    }
}
