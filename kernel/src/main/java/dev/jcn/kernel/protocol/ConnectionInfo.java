package dev.jcn.kernel.protocol;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The connection file Jupyter writes for a kernel: where to bind and how to sign.
 *
 * <pre>{@code
 * ConnectionInfo info = ConnectionInfo.read(Path.of("/run/user/1000/jupyter/kernel-1.json"));
 * String shell = info.address(info.shellPort());   // "tcp://127.0.0.1:53794"
 * }</pre>
 */
public record ConnectionInfo(
        String transport,
        String ip,
        int shellPort,
        int iopubPort,
        int stdinPort,
        int controlPort,
        int hbPort,
        String key,
        String signatureScheme) {

    /** Reads and checks a connection file; a bad file gets an {@link IllegalArgumentException} with a one-line reason. */
    public static ConnectionInfo read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read connection file " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad connection file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the JSON text of a connection file. */
    public static ConnectionInfo parse(String json) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not valid JSON (" + e.getMessage() + ")", e);
        }
        String scheme = string(o, "signature_scheme", "hmac-sha256");
        String key = string(o, "key", "");
        if (!key.isEmpty() && !scheme.equals("hmac-sha256")) {
            throw new IllegalArgumentException("unsupported signature_scheme " + scheme + " (only hmac-sha256)");
        }
        return new ConnectionInfo(
                string(o, "transport", "tcp"),
                string(o, "ip", "127.0.0.1"),
                port(o, "shell_port"),
                port(o, "iopub_port"),
                port(o, "stdin_port"),
                port(o, "control_port"),
                port(o, "hb_port"),
                key,
                scheme);
    }

    /**
     * A connection on five loopback ports free at the moment, signed with {@code key}: for a kernel this
     * project starts itself (the installer's training session, tests), where no Jupyter client chose them.
     */
    public static ConnectionInfo onFreeLoopbackPorts(String key) throws IOException {
        int[] ports = new int[5];
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < ports.length; i++) {
                ServerSocket s = new ServerSocket(0);
                held.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
        return new ConnectionInfo("tcp", "127.0.0.1", ports[0], ports[1], ports[2], ports[3], ports[4], key, "hmac-sha256");
    }

    /** The connection file's text, as {@link #parse} reads it. */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("transport", transport);
        o.addProperty("ip", ip);
        o.addProperty("shell_port", shellPort);
        o.addProperty("iopub_port", iopubPort);
        o.addProperty("stdin_port", stdinPort);
        o.addProperty("control_port", controlPort);
        o.addProperty("hb_port", hbPort);
        o.addProperty("key", key);
        o.addProperty("signature_scheme", signatureScheme);
        return o.toString();
    }

    /** The ZeroMQ endpoint for {@code port}: {@code tcp://ip:port}, or {@code ipc://ip-port} for ipc. */
    public String address(int port) {
        return transport.equals("ipc") ? "ipc://" + ip + "-" + port : transport + "://" + ip + ":" + port;
    }

    private static String string(JsonObject o, String name, String fallback) {
        JsonElement e = o.get(name);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    private static int port(JsonObject o, String name) {
        JsonElement e = o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("missing or non-numeric " + name);
        }
        int port = e.getAsInt();
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " out of range: " + port);
        }
        return port;
    }
}
