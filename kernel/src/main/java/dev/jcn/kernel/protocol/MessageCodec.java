package dev.jcn.kernel.protocol;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

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
 * <p>Thread-safe. A header costs little: message ids are a random id of this kernel counted up, in the
 * form of a version 4 UUID, rather than a call on the system's random source per message, and its date is
 * written without a formatter; every message of a cell pays for both.
 */
public final class MessageCodec {

    /** The messaging protocol version this kernel speaks. */
    public static final String PROTOCOL_VERSION = "5.3";

    static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

    /** The variant bits of an IETF UUID, in its low half. */
    private static final long VARIANT_MASK = 0x3FFF_FFFF_FFFF_FFFFL;
    private static final long VARIANT = 0x8000_0000_0000_0000L;

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private final MessageSigner signer;
    private final String session = UUID.randomUUID().toString();
    /** The random part of this kernel's message ids, version 4 in the high half. */
    private final long idHigh;
    private final long idLow;
    private final AtomicLong sent = new AtomicLong();
    private final String username = userName();

    /** A codec signing with {@code signer}, dating headers with the system clock in UTC. */
    public MessageCodec(MessageSigner signer) {
        this.signer = signer;
        SecureRandom random = new SecureRandom();
        this.idHigh = (random.nextLong() & ~0xF000L) | 0x4000L;
        this.idLow = random.nextLong();
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
        h.addProperty("msg_id", new UUID(idHigh, ((idLow + sent.incrementAndGet()) & VARIANT_MASK) | VARIANT).toString());
        h.addProperty("session", session);
        h.addProperty("username", username);
        h.addProperty("date", now());
        h.addProperty("msg_type", type);
        h.addProperty("version", PROTOCOL_VERSION);
        return h;
    }

    /** The current time in the header format, e.g. {@code 2026-11-26T11:02:03.123456+00:00}. */
    public String now() {
        Instant now = Instant.now();
        LocalDateTime t = LocalDateTime.ofEpochSecond(now.getEpochSecond(), now.getNano(), ZoneOffset.UTC);
        StringBuilder date = new StringBuilder(32);
        digits(date, t.getYear(), 4).append('-');
        digits(date, t.getMonthValue(), 2).append('-');
        digits(date, t.getDayOfMonth(), 2).append('T');
        digits(date, t.getHour(), 2).append(':');
        digits(date, t.getMinute(), 2).append(':');
        digits(date, t.getSecond(), 2).append('.');
        return digits(date, t.getNano() / 1000, 6).append("+00:00").toString();
    }

    /** Appends {@code value} with leading zeros to {@code width} digits. */
    private static StringBuilder digits(StringBuilder into, int value, int width) {
        String s = Integer.toString(value);
        return into.repeat('0', Math.max(0, width - s.length())).append(s);
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
