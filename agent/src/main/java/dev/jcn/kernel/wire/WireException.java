package dev.jcn.kernel.wire;

import java.io.IOException;

/**
 * A frame that {@link WireCodec} cannot read. {@link #id()} is the id of the call it belongs to when
 * that much could be read (so that it can still be answered), else -1.
 */
public final class WireException extends IOException {

    private final long id;

    public WireException(long id, String message) {
        super(message);
        this.id = id;
    }

    /** The id of the call the frame carried, or -1. */
    public long id() {
        return id;
    }
}
