package dev.jcn.kernel.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * One Jupyter message: routing identities, the four JSON parts and optional binary buffers.
 *
 * <pre>{@code
 * Message request = codec.decode(frames);
 * if (request.type().equals("kernel_info_request")) { ... }
 * }</pre>
 */
public record Message(
        List<byte[]> identities,
        JsonObject header,
        JsonObject parentHeader,
        JsonObject metadata,
        JsonObject content,
        List<byte[]> buffers) {

    /** Copies the lists so the record stays immutable. */
    public Message {
        identities = List.copyOf(identities);
        buffers = List.copyOf(buffers);
    }

    /** The header's {@code msg_type}. */
    public String type() {
        return text(header, "msg_type");
    }

    /** The header's {@code msg_id}. */
    public String id() {
        return text(header, "msg_id");
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? "" : e.getAsString();
    }
}
