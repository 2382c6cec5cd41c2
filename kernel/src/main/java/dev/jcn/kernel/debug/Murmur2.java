package dev.jcn.kernel.debug;

import java.nio.charset.StandardCharsets;

/**
 * MurmurHash2 (32 bits) of a text's UTF-8 bytes: JupyterLab's debugger names a cell's source file
 * by this hash of the cell's code, with the seed the kernel gives it, so the kernel must compute
 * the same name.
 *
 * <pre>{@code
 * long h = Murmur2.hash("print(1)", 3339675911L);   // unsigned, as JupyterLab prints it
 * }</pre>
 */
public final class Murmur2 {

    private static final int M = 0x5bd1e995;

    private Murmur2() {}

    /** The hash of {@code text} with {@code seed} (its low 32 bits), as an unsigned number. */
    public static long hash(String text, long seed) {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        int length = data.length;
        int h = (int) seed ^ length;
        int i = 0;
        for (; length - i >= 4; i += 4) {
            int k = (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
            k *= M;
            k ^= k >>> 24;
            k *= M;
            h = h * M ^ k;
        }
        int rest = length - i;
        if (rest == 3) {
            h ^= (data[i + 2] & 0xff) << 16;
        }
        if (rest >= 2) {
            h ^= (data[i + 1] & 0xff) << 8;
        }
        if (rest >= 1) {
            h ^= data[i] & 0xff;
            h *= M;
        }
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return Integer.toUnsignedLong(h);
    }
}
