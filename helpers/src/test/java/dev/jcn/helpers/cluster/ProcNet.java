package dev.jcn.helpers.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/** Reads the addresses of Linux's {@code /proc/PID/net/tcp} and {@code tcp6} tables. */
final class ProcNet {

    private ProcNet() {
    }

    /** "0100007F:1F90" → "127.0.0.1:8080"; IPv4-mapped IPv6 addresses come out as IPv4. */
    static String address(String field) {
        String[] parts = field.split(":");
        byte[] raw = HexFormat.of().parseHex(parts[0]);
        byte[] bytes = new byte[raw.length];
        // The kernel prints each 32-bit word in host (little-endian) order.
        for (int word = 0; word < raw.length; word += 4) {
            for (int i = 0; i < 4; i++) {
                bytes[word + i] = raw[word + 3 - i];
            }
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress() + ":" + Integer.parseInt(parts[1], 16);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(field, e);
        }
    }
}
