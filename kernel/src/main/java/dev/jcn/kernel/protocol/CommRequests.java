package dev.jcn.kernel.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.jcn.kernel.execution.Interpreter;
import dev.jcn.notebook.spi.CommFrame;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comm messages of both directions. From the frontend ({@code comm_open}, {@code comm_msg},
 * {@code comm_close} on the shell channel), each goes to the handlers in user code and is answered
 * when they are done; one for a target or comm that does not exist gets a stderr line (as ipykernel
 * writes it) parented to it and a log line, and a refused {@code comm_open} is closed. From user code,
 * each goes out on IOPub. {@code comm_info_request} lists the open comms, of one target if it names one.
 *
 * <pre>{@code
 * comms.fromFrontend(request);          // on the shell thread, between busy and idle
 * JsonObject reply = comms.info(request.content());
 * comms.toFrontend(parent, frame);     // from the interpreter's events
 * }</pre>
 */
final class CommRequests {

    private static final Logger LOG = LoggerFactory.getLogger(CommRequests.class);
    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    private final IopubPublisher iopub;
    private final Interpreter interpreter;

    CommRequests(IopubPublisher iopub, Interpreter interpreter) {
        this.iopub = iopub;
        this.interpreter = interpreter;
    }

    /** Delivers a comm message from the frontend; malformed or unknown ones are reported and dropped. */
    void fromFrontend(Message request) {
        JsonObject c = request.content();
        CommFrame.Kind kind = switch (request.type()) {
            case "comm_open" -> CommFrame.Kind.OPEN;
            case "comm_msg" -> CommFrame.Kind.MSG;
            default -> CommFrame.Kind.CLOSE;
        };
        String id = text(c, "comm_id");
        String target = text(c, "target_name");
        JsonElement data = c.get("data");
        if (id.isEmpty() || (kind == CommFrame.Kind.OPEN && target.isEmpty()) || (data != null && !data.isJsonObject() && !data.isJsonNull())) {
            LOG.warn("dropped a malformed {}: {}", request.type(), MessageCodec.toJson(c));
            stderr(request, "Malformed " + request.type() + ": it needs a comm_id" + (kind == CommFrame.Kind.OPEN ? ", a target_name" : "")
                    + " and an object as data\n");
            return;
        }
        CommFrame frame = new CommFrame(kind, id, target, object(data), object(request.metadata()), request.buffers());
        if (interpreter.comm(frame)) {
            return;
        }
        if (kind == CommFrame.Kind.OPEN) {
            LOG.info("closed comm {}: no such comm target registered: {}", id, target);
            stderr(request, "No such comm target registered: " + target + "\n");
            JsonObject close = new JsonObject();
            close.addProperty("comm_id", id);
            close.add("data", new JsonObject());
            iopub.publish(request.header(), "comm_close", close);
        } else {
            LOG.info("dropped {} for comm {}: no such comm", request.type(), id);
            stderr(request, "No such comm: " + id + "\n");
        }
    }

    /** The content of comm_info_reply. */
    JsonObject info(JsonObject content) {
        JsonObject comms = new JsonObject();
        interpreter.comms(text(content, "target_name")).forEach((id, target) -> {
            JsonObject o = new JsonObject();
            o.addProperty("target_name", target);
            comms.add(id, o);
        });
        JsonObject reply = new JsonObject();
        reply.addProperty("status", "ok");
        reply.add("comms", comms);
        return reply;
    }

    /** Publishes a comm message of user code under {@code parent}. */
    void toFrontend(JsonObject parent, CommFrame frame) {
        JsonObject content = new JsonObject();
        content.addProperty("comm_id", frame.commId());
        if (frame.kind() == CommFrame.Kind.OPEN) {
            content.addProperty("target_name", frame.target());
            content.add("target_module", null);
        }
        content.add("data", GSON.toJsonTree(frame.data()));
        JsonObject metadata = GSON.toJsonTree(frame.metadata()).getAsJsonObject();
        iopub.publish(parent, frame.kind().messageType(), content, metadata, frame.buffers());
    }

    private void stderr(Message request, String text) {
        JsonObject content = new JsonObject();
        content.addProperty("name", "stderr");
        content.addProperty("text", text);
        iopub.publish(request.header(), "stream", content);
    }

    private static String text(JsonObject o, String name) {
        JsonElement e = o.get(name);
        return e == null || !e.isJsonPrimitive() ? "" : e.getAsString();
    }

    /** A JSON object as plain Java values (integers as Long, other numbers as Double); null as empty. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(JsonElement e) {
        return e == null || !e.isJsonObject() ? Map.of() : (Map<String, Object>) java(e);
    }

    private static Object java(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e instanceof JsonObject o) {
            Map<String, Object> map = new LinkedHashMap<>();
            o.entrySet().forEach(en -> map.put(en.getKey(), java(en.getValue())));
            return map;
        }
        if (e instanceof JsonArray a) {
            List<Object> list = new ArrayList<>(a.size());
            a.forEach(x -> list.add(java(x)));
            return list;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            return p.getAsString();
        }
        String number = p.getAsString();
        if (number.contains(".") || number.contains("e") || number.contains("E")) {
            return p.getAsDouble();
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException tooBig) {
            return new BigDecimal(number);
        }
    }
}
