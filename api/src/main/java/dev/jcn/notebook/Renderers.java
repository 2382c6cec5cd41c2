package dev.jcn.notebook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The renderer registry: the built-ins for {@link Html}, {@link Markdown}, {@link Svg}, ready-made
 * {@link MimeBundle}s, {@link Displayable}s and images, then every {@link Renderer} that {@link ServiceLoader} finds through
 * the calling thread's context class loader (in a notebook: the helpers' chart and table renderers,
 * and those of jars added with {@code %maven} or {@code %classpath}).
 *
 * <pre>{@code
 * MimeBundle bundle = Renderers.render(table);                  // text/html + text/plain
 * MimeBundle vector = Renderers.render(chart, RenderRequest.SVG);
 * String text = Renderers.plain(new int[] {1, 2});              // "[1, 2]"
 * }</pre>
 */
public final class Renderers {

    private static volatile List<Renderer> registry;

    private Renderers() {}

    /** The default rendering of {@code value}. */
    public static MimeBundle render(Object value) {
        return render(value, RenderRequest.DEFAULT);
    }

    /** Renders {@code value}; the bundle always has {@code text/plain}. */
    public static MimeBundle render(Object value, RenderRequest request) {
        MimeBundle bundle = switch (value) {
            case Svg svg when svg.value() instanceof String text -> MimeBundle.of("image/svg+xml", text).with("text/plain", "[SVG image]");
            case Svg svg -> render(svg.value(), RenderRequest.SVG);
            case Html html -> MimeBundle.of("text/html", html.html()).with("text/plain", html.html());
            case Markdown md -> MimeBundle.of("text/markdown", md.markdown()).with("text/plain", md.markdown());
            case MimeBundle given -> given;
            case Displayable d -> d.mimeBundle();
            case null -> MimeBundle.text("null");
            default -> byRenderer(value, request);
        };
        return bundle.data().containsKey("text/plain") ? bundle : bundle.with("text/plain", plain(value));
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

    /** Forgets the service-loaded renderers, so that jars added to the class path are searched too. */
    public static void reload() {
        registry = null;
    }

    private static List<Renderer> renderers() {
        List<Renderer> r = registry;
        if (r == null) {
            List<Renderer> found = new ArrayList<>(List.of(new ImageRenderer()));
            try {
                ServiceLoader.load(Renderer.class, Thread.currentThread().getContextClassLoader()).forEach(found::add);
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

    /**
     * Whether {@code value}'s class or one of its superclasses is called {@code className}; lets a
     * renderer recognise a library's type without loading the library when it is absent.
     */
    public static boolean isA(Object value, String className) {
        for (Class<?> c = value == null ? null : value.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
