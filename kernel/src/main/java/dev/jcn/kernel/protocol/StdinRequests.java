package dev.jcn.kernel.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.jcn.kernel.execution.TypedInput;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lines of input for the running cell, asked of the frontend on the stdin channel: an
 * {@code input_request} addressed to the client that sent the {@code execute_request}, parented to
 * it, answered by that client's {@code input_reply}. A cell whose request does not allow stdin (nbclient
 * and the other headless runners) is refused at once, and so is any cell but the running one; when
 * the cell ends, the requests still open are refused, so no reading thread waits for a box nobody
 * will answer.
 *
 * <pre>{@code
 * stdin.cellStarted(7, executeRequest);
 * stdin.ask(7, "your name? ", false).thenAccept(...);   // completes when input_reply arrives
 * stdin.received(inputReply);                           // on the stdin thread
 * stdin.cellFinished();
 * }</pre>
 *
 * <p>Thread-safe.
 */
final class StdinRequests {

    private static final Logger LOG = LoggerFactory.getLogger(StdinRequests.class);

    private record Running(int cell, Message request, boolean allowed) {}

    private final Channel stdin;
    private final MessageCodec codec;
    /** Open requests by msg_id, oldest first. */
    private final Map<String, CompletableFuture<TypedInput>> open = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile Running running;

    StdinRequests(Channel stdin, MessageCodec codec) {
        this.stdin = stdin;
        this.codec = codec;
    }

    /** Cell {@code cell} of {@code request} (an execute_request) is running now. */
    void cellStarted(int cell, Message request) {
        JsonElement allow = request.content().get("allow_stdin");
        boolean allowed = allow != null && allow.isJsonPrimitive() && allow.getAsJsonPrimitive().isBoolean() && allow.getAsBoolean();
        running = new Running(cell, request, allowed);
    }

    /** The running cell has ended: its open requests get the end of input. */
    void cellFinished() {
        running = null;
        List<String> ids;
        synchronized (open) {
            ids = List.copyOf(open.keySet());
        }
        ids.forEach(id -> refuse(id, "the cell ended before a line was typed"));
    }

    /** Asks the frontend for a line for cell {@code cell}; see the class comment for the refusals. */
    CompletableFuture<TypedInput> ask(int cell, String prompt, boolean password) {
        Running r = running;
        if (r == null || r.cell() != cell) {
            return CompletableFuture.completedFuture(TypedInput.refused("cell " + cell + " is not running"));
        }
        if (!r.allowed()) {
            return CompletableFuture.completedFuture(
                    TypedInput.refused("this frontend takes no input (its execute_request has allow_stdin false)"));
        }
        JsonObject content = new JsonObject();
        content.addProperty("prompt", prompt);
        content.addProperty("password", password);
        Message inputRequest = codec.reply(r.request(), "input_request", content);
        CompletableFuture<TypedInput> answer = new CompletableFuture<>();
        open.put(inputRequest.id(), answer);
        if (running != r) {
            // the cell ended while the request was being made
            refuse(inputRequest.id(), "the cell ended before a line was typed");
            return answer;
        }
        stdin.send(codec.encode(inputRequest));
        return answer;
    }

    /** A message that arrived on the stdin channel. */
    void received(Message message) {
        if (!message.type().equals("input_reply")) {
            LOG.warn("ignored {} on the stdin channel", message.type());
            return;
        }
        CompletableFuture<TypedInput> answer = open.remove(answered(message));
        if (answer == null) {
            LOG.info("ignored an input_reply to no open input_request (its cell has ended)");
            return;
        }
        JsonObject c = message.content();
        JsonElement value = c.get("value");
        JsonElement status = c.get("status");
        if (status != null && status.isJsonPrimitive() && !status.getAsString().equals("ok")) {
            answer.complete(TypedInput.refused("the frontend answered with status " + status.getAsString()));
        } else if (value == null || !value.isJsonPrimitive()) {
            answer.complete(TypedInput.refused("the frontend's input_reply has no value"));
        } else {
            answer.complete(TypedInput.typed(value.getAsString()));
        }
    }

    /**
     * The id of the input_request that {@code reply} answers: its parent's, or, for a client that sends
     * replies without a parent (jupyter_client's {@code input()}), the oldest open request's.
     */
    private String answered(Message reply) {
        JsonElement parent = reply.parentHeader().get("msg_id");
        if (parent != null && parent.isJsonPrimitive() && !parent.getAsString().isEmpty()) {
            return parent.getAsString();
        }
        synchronized (open) {
            return open.keySet().stream().findFirst().orElse("");
        }
    }

    private void refuse(String id, String why) {
        CompletableFuture<TypedInput> f = open.remove(id);
        if (f != null) {
            f.complete(TypedInput.refused(why));
        }
    }
}
