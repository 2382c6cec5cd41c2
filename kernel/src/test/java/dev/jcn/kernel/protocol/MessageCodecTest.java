package dev.jcn.kernel.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private final MessageCodec codec = new MessageCodec(new MessageSigner("key"));

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void encodedMessageDecodesWithItsIdentitiesPartsAndBuffers() throws Exception {
        JsonObject content = new JsonObject();
        content.addProperty("code", "1 + 1 <é>");
        Message m = new Message(List.of(bytes("id-1"), bytes("id-2")), codec.header("execute_request"),
                new JsonObject(), new JsonObject(), content, List.of(bytes("buffer")));

        Message back = codec.decode(codec.encode(m));

        assertThat(back.identities()).containsExactly(bytes("id-1"), bytes("id-2"));
        assertThat(back.header()).isEqualTo(m.header());
        assertThat(back.content()).isEqualTo(content);
        assertThat(back.buffers()).containsExactly(bytes("buffer"));
        assertThat(back.type()).isEqualTo("execute_request");
    }

    @Test
    void alteredContentFailsTheSignatureCheck() {
        Message m = new Message(List.of(), codec.header("kernel_info_request"), new JsonObject(), new JsonObject(),
                new JsonObject(), List.of());
        List<byte[]> frames = new ArrayList<>(codec.encode(m));
        frames.set(5, bytes("{\"evil\":true}"));

        assertThatThrownBy(() -> codec.decode(frames)).isInstanceOf(InvalidMessageException.class).hasMessage("invalid signature");
    }

    @Test
    void messagesSignedWithAnotherKeyAreRejected() {
        MessageCodec other = new MessageCodec(new MessageSigner("other"));
        Message m = new Message(List.of(), other.header("kernel_info_request"), new JsonObject(), new JsonObject(),
                new JsonObject(), List.of());

        assertThatThrownBy(() -> codec.decode(other.encode(m))).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void malformedFramesAreRejectedWithAReason() {
        byte[] sig = bytes("");
        MessageCodec unsigned = new MessageCodec(new MessageSigner(""));
        assertThatThrownBy(() -> unsigned.decode(List.of(bytes("x"))))
                .hasMessageContaining("delimiter");
        assertThatThrownBy(() -> unsigned.decode(List.of(MessageCodec.DELIMITER, sig, bytes("{}"))))
                .hasMessageContaining("need 5");
        assertThatThrownBy(() -> unsigned.decode(List.of(MessageCodec.DELIMITER, sig, bytes("[1]"), bytes("{}"), bytes("{}"), bytes("{}"))))
                .hasMessageContaining("header is not a JSON object");
        assertThatThrownBy(() -> unsigned.decode(List.of(MessageCodec.DELIMITER, sig, bytes("{}"), bytes("{"), bytes("{}"), bytes("{}"))))
                .hasMessageContaining("lacks msg_type");
        assertThatThrownBy(() -> unsigned.decode(List.of(MessageCodec.DELIMITER, sig,
                bytes("{\"msg_id\":\"1\",\"msg_type\":\"x\"}"), bytes("{"), bytes("{}"), bytes("{}"))))
                .hasMessageContaining("parent_header is not valid JSON");
    }

    @Test
    void headerDatesHaveMicrosecondsAndAnOffset() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        JsonObject h = codec.header("status");
        Instant after = Instant.now();

        String date = h.get("date").getAsString();
        assertThat(date).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+00:00");
        assertThat(OffsetDateTime.parse(date).toInstant()).isBetween(before, after);
        assertThat(h.get("session").getAsString()).isEqualTo(codec.session());
        assertThat(h.get("username").getAsString()).isEqualTo(System.getProperty("user.name"));
        assertThat(h.get("version").getAsString()).isEqualTo("5.3");
    }

    @Test
    void messageIdsAreDistinctVersion4UuidsInEveryKernel() {
        MessageCodec other = new MessageCodec(new MessageSigner("key"));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(codec.header("status").get("msg_id").getAsString());
            ids.add(other.header("status").get("msg_id").getAsString());
        }

        assertThat(ids).hasSize(2_000);
        assertThat(ids).allSatisfy(id -> {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
        });
    }

    @Test
    void replyGoesBackToTheSenderUnderItsHeader() {
        Message request = new Message(List.of(bytes("peer")), codec.header("complete_request"), new JsonObject(),
                new JsonObject(), new JsonObject(), List.of());

        Message reply = codec.reply(request, "complete_reply", new JsonObject());

        assertThat(reply.identities()).containsExactly(bytes("peer"));
        assertThat(reply.parentHeader()).isEqualTo(request.header());
        assertThat(reply.type()).isEqualTo("complete_reply");
    }
}
