package dev.jcn.notebook.spi;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One comm message of the Jupyter protocol, in either direction: {@code comm_open} (with its target),
 * {@code comm_msg} or {@code comm_close}. {@code data} and {@code metadata} hold JSON values as plain
 * Java objects (maps, lists, strings, numbers, booleans, null), as in a
 * {@link dev.jcn.notebook.MimeBundle}; {@code buffers} travel as binary frames beside the JSON.
 *
 * <pre>{@code
 * new CommFrame(CommFrame.Kind.MSG, id, "", Map.of("method", "update", "state", Map.of("value", 8)), Map.of(), List.of());
 * }</pre>
 */
public record CommFrame(Kind kind, String commId, String target, Map<String, Object> data, Map<String, Object> metadata,
        List<byte[]> buffers) {

    /** The three comm message types. */
    public enum Kind {
        OPEN("comm_open"), MSG("comm_msg"), CLOSE("comm_close");

        private final String messageType;

        Kind(String messageType) {
            this.messageType = messageType;
        }

        /** The protocol's {@code msg_type}. */
        public String messageType() {
            return messageType;
        }
    }

    public CommFrame {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(commId, "commId");
        target = target == null ? "" : target;
        data = data == null ? Map.of() : data;
        metadata = metadata == null ? Map.of() : metadata;
        buffers = buffers == null ? List.of() : List.copyOf(buffers);
    }
}
