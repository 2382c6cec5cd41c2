package dev.jcn.notebook;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One value as a notebook shows it: the same content in several MIME types (the frontend picks the
 * richest one it can show), and metadata per type, such as an image's size.
 *
 * <pre>{@code
 * MimeBundle b = MimeBundle.of("text/html", "<b>3</b> threads").with("text/plain", "3 threads");
 * display(b);
 * MimeBundle chart = MimeBundle.png(pngBytes, 640, 480).with("text/plain", "[chart 640x480]");
 * }</pre>
 *
 * <p>Contents and metadata are JSON values written as plain Java objects: {@link String},
 * {@link Number}, {@link Boolean}, {@code null}, {@link List} and {@link Map} with string keys. Text
 * types and base64-encoded images are strings; {@code application/json} and the {@code +json} types
 * may be maps. Anything else is refused when the bundle is made, so a bundle can always be sent to
 * the notebook. A bundle is immutable and keeps the order in which its types were added.
 */
public record MimeBundle(Map<String, Object> data, Map<String, Object> metadata) {

    /** Copies both maps; refuses values that are not JSON values. */
    public MimeBundle {
        data = frozen(data, "data");
        metadata = frozen(metadata, "metadata");
    }

    /** A bundle with only {@code text/plain}. */
    public static MimeBundle text(String text) {
        return of("text/plain", text == null ? "" : text);
    }

    /** A bundle with one MIME type. */
    public static MimeBundle of(String mimeType, Object content) {
        return new MimeBundle(Map.of(), Map.of()).with(mimeType, content);
    }

    /**
     * A PNG image, base64-encoded, with its size in the metadata (JupyterLab lays the image out by it
     * before it has decoded it).
     */
    public static MimeBundle png(byte[] png, int width, int height) {
        return of("image/png", Base64.getEncoder().encodeToString(png))
                .withMetadata("image/png", Map.of("width", width, "height", height));
    }

    /** This bundle with {@code content} for {@code mimeType}, added or replacing the earlier one. */
    public MimeBundle with(String mimeType, Object content) {
        Map<String, Object> d = new LinkedHashMap<>(data);
        d.put(requireType(mimeType), content);
        return new MimeBundle(d, metadata);
    }

    /** This bundle with metadata {@code value} under {@code key} (usually a MIME type). */
    public MimeBundle withMetadata(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>(metadata);
        m.put(requireType(key), value);
        return new MimeBundle(data, m);
    }

    /** The {@code text/plain} content, or the empty string when there is none. */
    public String text() {
        return data.get("text/plain") instanceof String s ? s : "";
    }

    private static String requireType(String mimeType) {
        if (mimeType == null || mimeType.isBlank()) {
            throw new IllegalArgumentException("a MIME type such as text/html is needed, got \"" + mimeType + "\"");
        }
        return mimeType;
    }

    private static Map<String, Object> frozen(Map<String, Object> map, String what) {
        if (map == null) {
            return Map.of();
        }
        map.forEach((key, value) -> {
            if (key == null) {
                throw new IllegalArgumentException("a MIME bundle's " + what + " has a null key");
            }
            requireJson(value, what + "[" + key + "]");
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    private static void requireJson(Object value, String where) {
        switch (value) {
            case null -> { }
            case String s -> { }
            case Number n -> { }
            case Boolean b -> { }
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    requireJson(list.get(i), where + "[" + i + "]");
                }
            }
            case Map<?, ?> map -> map.forEach((k, v) -> {
                if (!(k instanceof String key)) {
                    throw new IllegalArgumentException(where + " has a key that is not a string: " + k);
                }
                requireJson(v, where + "." + key);
            });
            default -> throw new IllegalArgumentException(where + " is a " + value.getClass().getName()
                    + "; a MIME bundle holds only strings, numbers, booleans, null, lists and maps");
        }
    }
}
