package dev.jcn.kernel.wire;

/**
 * Where a byte stream of UTF-8 text may be cut without splitting a character.
 *
 * <pre>{@code
 * int n = Utf8.completeLength(bytes);      // decode bytes[0, n) now
 * byte[] carry = Arrays.copyOfRange(bytes, n, bytes.length);  // keep the rest for later
 * }</pre>
 */
public final class Utf8 {

    private Utf8() {}

    /** Length of the longest prefix of {@code b} that does not end inside a multi-byte character. */
    public static int completeLength(byte[] b) {
        int n = b.length;
        for (int back = 1; back <= Math.min(3, n); back++) {
            int c = b[n - back] & 0xFF;
            if ((c & 0xC0) == 0x80) {
                continue;
            }
            int need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            return need > back ? n - back : n;
        }
        return n;
    }
}
