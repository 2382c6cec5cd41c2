package dev.jcn.kernel.magic;

/**
 * A magic that cannot run: unknown name, bad arguments, a missing file. Its message is one line
 * and is shown to the user as an {@code error} output named {@code MagicError}.
 *
 * <pre>{@code
 * throw new MagicException("%load needs a file name, e.g. %load setup.jsh");
 * }</pre>
 */
public final class MagicException extends Exception {

    /** A failure explained by {@code message} (one line). */
    public MagicException(String message) {
        super(message);
    }
}
