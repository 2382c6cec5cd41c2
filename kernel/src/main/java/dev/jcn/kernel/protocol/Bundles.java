package dev.jcn.kernel.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.jcn.notebook.MimeBundle;

/**
 * A {@link MimeBundle}'s two maps as the JSON objects of a Jupyter message ({@code data} and
 * {@code metadata} of display_data, execute_result, inspect_reply and page payloads).
 *
 * <pre>{@code
 * content.add("data", Bundles.data(bundle));
 * content.add("metadata", Bundles.metadata(bundle));
 * }</pre>
 */
final class Bundles {

    /** Keeps nulls: a JSON value inside a bundle may be null on purpose. */
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private Bundles() {}

    static JsonObject data(MimeBundle bundle) {
        return GSON.toJsonTree(bundle.data()).getAsJsonObject();
    }

    static JsonObject metadata(MimeBundle bundle) {
        return GSON.toJsonTree(bundle.metadata()).getAsJsonObject();
    }
}
