package dev.jcn.kernel.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.jcn.kernel.execution.Completion;
import java.util.List;

/**
 * The content of a {@code complete_reply}. {@code matches} holds what each candidate shows (a method
 * with its parameters); {@code metadata._jupyter_types_experimental} holds, for the same candidates
 * in the same order, the text to insert, the kind and the signature. JupyterLab 4 labels each entry
 * with the match and inserts the text, so overloads are distinct entries that insert the same
 * {@code name(}; a client that reads only {@code matches} still gets one entry per overload.
 *
 * <p>When every candidate would insert the same {@code name(} (the overloads of one method are all
 * that match), they insert {@code name}: JupyterLab 4.6 first takes the candidates' common text as
 * its query and then matches the query against each label up to its {@code (}, so a query ending in
 * {@code (} matches no label and the list closes without showing the overloads.
 *
 * <pre>{@code
 * JsonObject content = CompletionReply.content(interpreter.complete("ex.sub", 6));
 * }</pre>
 */
final class CompletionReply {

    /** The kind of a magic's name after {@code %}. */
    static final String MAGIC = "magic";
    /** The kind of Maven coordinates after {@code %maven}. */
    static final String ARTIFACT = "artifact";

    private CompletionReply() {}

    static JsonObject content(Completion completion) {
        JsonArray matches = new JsonArray();
        JsonArray types = new JsonArray();
        String onlyCall = onlyCall(completion.items());
        for (Completion.Item item : completion.items()) {
            matches.add(item.label());
            JsonObject t = new JsonObject();
            t.addProperty("start", completion.cursorStart());
            t.addProperty("end", completion.cursorEnd());
            t.addProperty("text", onlyCall != null ? onlyCall : item.text());
            t.addProperty("type", item.type());
            if (!item.signature().isEmpty()) {
                t.addProperty("signature", item.signature());
            }
            types.add(t);
        }
        JsonObject metadata = new JsonObject();
        metadata.add("_jupyter_types_experimental", types);
        JsonObject reply = new JsonObject();
        reply.addProperty("status", "ok");
        reply.add("matches", matches);
        reply.addProperty("cursor_start", completion.cursorStart());
        reply.addProperty("cursor_end", completion.cursorEnd());
        reply.add("metadata", metadata);
        return reply;
    }

    /** The method name, when there are several candidates and every one inserts the same call; else null. */
    private static String onlyCall(List<Completion.Item> items) {
        if (items.size() < 2) {
            return null;
        }
        String text = items.getFirst().text();
        int paren = text.indexOf('(');
        if (paren < 0 || !items.stream().allMatch(i -> i.text().equals(text))) {
            return null;
        }
        return text.substring(0, paren);
    }
}
