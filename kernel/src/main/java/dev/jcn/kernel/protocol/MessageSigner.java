package dev.jcn.kernel.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of Jupyter messages: the hex digest of header, parent header, metadata and
 * content frames. An empty key means the connection is unsigned (signature "" and nothing checked).
 *
 * <pre>{@code
 * MessageSigner signer = new MessageSigner("secret");
 * String sig = signer.sign(List.of(header, parent, metadata, content));
 * boolean ok = signer.verify(sig, List.of(header, parent, metadata, content));
 * }</pre>
 *
 * <p>Thread-safe: each thread signs with a {@link Mac} of its own, keyed once, since looking the
 * algorithm up and keying a new one cost more than signing a message.
 */
public final class MessageSigner {

    private static final String ALGORITHM = "HmacSHA256";
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(this::newMac);

    /** A signer for {@code key} as written in the connection file. */
    public MessageSigner(String key) {
        this.key = key.isEmpty() ? null : new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** Whether messages are signed at all. */
    public boolean enabled() {
        return key != null;
    }

    /** The lowercase hex signature of the frames, or "" when signing is off. */
    public String sign(List<byte[]> frames) {
        if (key == null) {
            return "";
        }
        return HexFormat.of().formatHex(mac(frames));
    }

    /**
     * Whether {@code signature} matches the frames. The comparison takes the same time wherever the
     * first differing byte is, so a forger learns nothing from timing.
     */
    public boolean verify(String signature, List<byte[]> frames) {
        if (key == null) {
            return true;
        }
        byte[] expected = HexFormat.of().formatHex(mac(frames)).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
    }

    /** The HMAC of the frames; {@code doFinal} leaves the thread's Mac reset, with its key, for the next message. */
    private byte[] mac(List<byte[]> frames) {
        Mac mac = macs.get();
        for (byte[] frame : frames) {
            mac.update(frame);
        }
        return mac.doFinal();
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
