package dev.jcn.kernel.protocol;

import com.google.gson.JsonObject;

/**
 * Broadcasts messages on the IOPub socket; callable from any thread.
 *
 * <pre>{@code
 * publisher.publish(request.header(), "status", status("busy"));
 * }</pre>
 */
final class IopubPublisher {

    private final Channel iopub;
    private final MessageCodec codec;

    IopubPublisher(Channel iopub, MessageCodec codec) {
        this.iopub = iopub;
        this.codec = codec;
    }

    void publish(JsonObject parent, String type, JsonObject content) {
        iopub.send(codec.encode(codec.broadcast(parent, type, content)));
    }

    void status(JsonObject parent, String state) {
        JsonObject content = new JsonObject();
        content.addProperty("execution_state", state);
        publish(parent, "status", content);
    }
}
