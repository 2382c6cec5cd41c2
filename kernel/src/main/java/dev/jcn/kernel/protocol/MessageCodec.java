package dev.jcn.kernel.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Turns messages into ZeroMQ frames and back ({@code identities, <IDS|MSG>, signature, header,
 * parent_header, metadata, content, buffers...}), signing and checking each one, and makes the
 * headers of the kernel's own messages.
 *
 * <pre>{@code
 * MessageCodec codec = new MessageCodec(new MessageSigner(info.key()));
 * Message request = codec.decode(frames);                   // throws InvalidMessageException
 * Message reply = codec.reply(request, "kernel_info_reply", content);
 * socket.sendFrames(codec.encode(reply));
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class MessageCodec {

    /** The messaging protocol version this kernel speaks. */
    public static final String PROTOCOL_VERSION = "5.3";

    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    /** ISO-8601 with microseconds and an explicit offset, as jupyter_client writes it. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final MessageSigner signer;
    private final String session = UUID.randomUUID().toString();
    private final String username = userName();

    /** A codec signing with {@code signer}, dating headers with the system clock in UTC. */
    public MessageCodec(MessageSigner signer) {
        this.signer = signer;
    }

    /** This kernel's session id, the same in every header it writes. */
    public String session() {
        return session;
    }

    /** The frames of {@code message}, signed. */
    public List<byte[]> encode(Message message) {
        List<byte[]> parts = List.of(
                json(message.header()), json(message.parentHeader()), json(message.metadata()), json(message.content()));
        List<byte[]> frames = new ArrayList<>(message.identities().size() + 6 + message.buffers().size());
        frames.addAll(message.identities());
        frames.add(DELIMITER);
        frames.add(signer.sign(parts).getBytes(StandardCharsets.US_ASCII));
        frames.addAll(parts);
        frames.addAll(message.buffers());
        return frames;
    }

    /** Reads and checks received frames; anything unreadable or wrongly signed is rejected. */
    public Message decode(List<byte[]> frames) throws InvalidMessageException {
        int delimiter = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                delimiter = i;
                break;
            }
        }
        if (delimiter < 0) {
            throw new InvalidMessageException("no <IDS|MSG> delimiter in " + frames.size() + " frames");
        }
        if (frames.size() < delimiter + 6) {
            throw new InvalidMessageException("only " + (frames.size() - delimiter - 1) + " frames after the delimiter, need 5");
        }
        String signature = new String(frames.get(delimiter + 1), StandardCharsets.US_ASCII);
        List<byte[]> parts = frames.subList(delimiter + 2, delimiter + 6);
        if (!signer.verify(signature, parts)) {
            throw new InvalidMessageException("invalid signature");
        }
        JsonObject header = object(parts.get(0), "header");
        if (!header.has("msg_type") || !header.has("msg_id")) {
            throw new InvalidMessageException("header lacks msg_type or msg_id");
        }
        return new Message(
                frames.subList(0, delimiter),
                header,
                object(parts.get(1), "parent_header"),
                object(parts.get(2), "metadata"),
                object(parts.get(3), "content"),
                frames.subList(delimiter + 6, frames.size()));
    }

    /** A reply to {@code request}, addressed to its sender. */
    public Message reply(Message request, String type, JsonObject content) {
        return new Message(request.identities(), header(type), request.header(), new JsonObject(), content, List.of());
    }

    /** An IOPub message under {@code parent} (an empty object when it belongs to no request). */
    public Message broadcast(JsonObject parent, String type, JsonObject content) {
        byte[] topic = ("kernel." + session + "." + type).getBytes(StandardCharsets.UTF_8);
        return new Message(List.of(topic), header(type), parent, new JsonObject(), content, List.of());
    }

    /** A fresh header: uuid, this session, the real user name, the time now, protocol 5.3. */
    public JsonObject header(String type) {
        JsonObject h = new JsonObject();
        h.addProperty("msg_id", UUID.randomUUID().toString());
        h.addProperty("session", session);
        h.addProperty("username", username);
        h.addProperty("date", now());
        h.addProperty("msg_type", type);
        h.addProperty("version", PROTOCOL_VERSION);
        return h;
    }

    /** The current time in the header format, e.g. {@code 2026-11-26T11:02:03.123456+00:00}. */
    public String now() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DATE);
    }

    /** Serialises JSON compactly, without HTML escaping. */
    public static String toJson(JsonElement e) {
        return GSON.toJson(e);
    }

    private static byte[] json(JsonObject o) {
        return GSON.toJson(o).getBytes(StandardCharsets.UTF_8);
    }

    private static JsonObject object(byte[] frame, String part) throws InvalidMessageException {
        try {
            JsonElement e = JsonParser.parseString(new String(frame, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new InvalidMessageException(part + " is not a JSON object");
            }
            return e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new InvalidMessageException(part + " is not valid JSON");
        }
    }

    private static String userName() {
        String name = System.getProperty("user.name");
        return name == null || name.isBlank() ? "unknown" : name;
    }
}
