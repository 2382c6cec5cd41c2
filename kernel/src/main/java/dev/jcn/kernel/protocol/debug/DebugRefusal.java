package dev.jcn.kernel.protocol.debug;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The answer to every {@code debug_request}: this kernel has no debugger, so each Debug Adapter
 * Protocol request gets a failed response that says so and names what to use instead, rather than
 * no reply at all (a client would wait for ever). The kernelspec and {@code kernel_info_reply} say
 * {@code "debugger": false}, so JupyterLab keeps its debugger button off and does not ask; other
 * clients may.
 *
 * <pre>{@code
 * JsonObject content = refusal.reply(request.content());
 * // {"seq": 1, "type": "response", "request_seq": 3, "success": false, "command": "attach", "message": "..."}
 * }</pre>
 */
public final class DebugRefusal {

    static final String MESSAGE = "this kernel has no debugger; %threads --stacks shows each thread's stack,"
            + " the lock it waits for and the thread holding it, and any deadlock";

    private final AtomicLong seq = new AtomicLong();

    /** The {@code debug_reply} content for the DAP request in {@code request} (a malformed one included). */
    public JsonObject reply(JsonObject request) {
        JsonObject r = new JsonObject();
        r.addProperty("seq", seq.incrementAndGet());
        r.addProperty("type", "response");
        r.addProperty("request_seq", number(request.get("seq")));
        r.addProperty("success", false);
        r.addProperty("command", text(request.get("command")));
        r.addProperty("message", MESSAGE);
        return r;
    }

    private static long number(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsLong() : 0;
    }

    private static String text(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : "";
    }
}
