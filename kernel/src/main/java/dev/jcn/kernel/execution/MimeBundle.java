package dev.jcn.kernel.execution;

import com.google.gson.JsonObject;

/**
 * A Jupyter MIME bundle: {@code data} maps MIME types to content (text, base64 for images, or JSON),
 * {@code metadata} holds per-type metadata such as image sizes.
 */
public record MimeBundle(JsonObject data, JsonObject metadata) {

    /** A bundle with only {@code text/plain}. */
    public static MimeBundle text(String text) {
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", text);
        return new MimeBundle(data, new JsonObject());
    }
}
