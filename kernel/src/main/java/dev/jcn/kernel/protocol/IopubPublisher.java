package dev.jcn.kernel.protocol;

import com.google.gson.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broadcasts messages on the IOPub socket; callable from any thread.
 *
 * <pre>{@code
 * publisher.publish(request.header(), "status", status("busy"));
 * }</pre>
 */
final class IopubPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(IopubPublisher.class);

    private final Channel iopub;
    private final MessageCodec codec;

    IopubPublisher(Channel iopub, MessageCodec codec) {
        this.iopub = iopub;
        this.codec = codec;
    }

    void publish(JsonObject parent, String type, JsonObject content) {
        publish(parent, type, content, new JsonObject(), List.of());
    }

    /** A message with its own metadata and binary buffers (comm messages). */
    void publish(JsonObject parent, String type, JsonObject content, JsonObject metadata, List<byte[]> buffers) {
        try {
            Message m = codec.broadcast(parent, type, content);
            iopub.send(codec.encode(new Message(m.identities(), m.header(), m.parentHeader(), metadata, content, buffers)));
        } catch (RuntimeException e) {
            // Output racing the kernel's shutdown must not throw into the writing user thread.
            LOG.debug("dropped {} on a closing IOPub socket: {}", type, e.toString());
        }
    }

    void status(JsonObject parent, String state) {
        JsonObject content = new JsonObject();
        content.addProperty("execution_state", state);
        publish(parent, "status", content);
    }
}
