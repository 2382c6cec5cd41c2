package dev.jcn.kernel.protocol;

/**
 * A received message that cannot be trusted or read: bad signature, missing delimiter, bad JSON.
 * The server logs it, drops the message and keeps serving.
 *
 * <pre>{@code
 * try { codec.decode(frames); } catch (InvalidMessageException e) { log.warn("dropped: {}", e.getMessage()); }
 * }</pre>
 */
public final class InvalidMessageException extends Exception {

    /** A message rejected for {@code reason}. */
    public InvalidMessageException(String reason) {
        super(reason);
    }
}
