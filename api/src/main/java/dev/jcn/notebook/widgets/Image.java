package dev.jcn.notebook.widgets;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An image whose bytes travel as a binary buffer beside the widget's state (no base64), so that a
 * chart can be redrawn in place.
 *
 * <pre>{@code
 * var picture = new Image(pngBytes, "png");
 * picture.value(newPngBytes);
 * }</pre>
 */
public final class Image extends ValueWidget<byte[]> {

    public Image(byte[] value, String format) {
        super(CONTROLS, VERSION, "ImageModel", "ImageView", "value", state(value, format));
    }

    private static Map<String, Object> state(byte[] value, String format) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("format", format == null ? "png" : format);
        s.put("height", "");
        s.put("width", "");
        s.put("value", value == null ? new byte[0] : value.clone());
        return s;
    }

    @Override
    byte[] read(Object raw) {
        return raw instanceof byte[] b ? b.clone() : new byte[0];
    }

    @Override
    Object write(byte[] value) {
        return value == null ? new byte[0] : value.clone();
    }

    @Override
    String describe() {
        return "format=" + get("format") + ", " + value().length + " bytes";
    }
}
