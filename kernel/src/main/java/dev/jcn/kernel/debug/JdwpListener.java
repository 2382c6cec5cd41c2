package dev.jcn.kernel.debug;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.spi.ClosedConnectionException;
import com.sun.jdi.connect.spi.Connection;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a user JVM's debug agent reports to: the kernel listens on a loopback port, and the user
 * JVM's JDWP agent connects out to it as the JVM starts ({@code server=n}), so the user JVM never
 * listens on a port that anything else could attach to. Any local process can connect to the
 * kernel's port too; a connection that does not come from the user JVM itself (on Linux the
 * socket's owner is looked up in {@code /proc}) is closed, and the listener waits on for the JVM.
 *
 * <pre>{@code
 * JdwpListener listener = JdwpListener.open();
 * command.add(listener.agentOption());              // then start the JVM
 * VirtualMachine vm = listener.accept(process.pid()); // blocks until that process connects
 * }</pre>
 */
public final class JdwpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdwpListener.class);
    private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);
    /** A user JVM that never connects does not hold a thread for ever. */
    private static final int WAIT_MILLIS = 60_000;
    private static final Path PROC = Path.of("/proc");

    private final ServerSocket server;

    private JdwpListener(ServerSocket server) {
        this.server = server;
    }

    /** Listens on a free loopback port. */
    public static JdwpListener open() throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen for the user JVM's debug agent: " + e.getMessage(), e);
        }
        return new JdwpListener(server);
    }

    /** The JVM option that makes a JVM connect here as it starts, and go on running. */
    public String agentOption() {
        return "-agentlib:jdwp=transport=dt_socket,server=n,suspend=n,address="
                + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /**
     * Waits (at most a minute) for process {@code pid} to connect, closing connections from any
     * other process, then stops listening.
     */
    public VirtualMachine accept(long pid) throws IOException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000L;
        try (server) {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new SocketTimeoutException("process " + pid + " did not connect within " + WAIT_MILLIS / 1000 + " s");
                }
                server.setSoTimeout((int) left);
                Socket socket = server.accept();
                if (!connectedBy(socket, pid)) {
                    LOG.warn("a connection to the debug port from {} is not the user JVM {}; closed",
                            socket.getRemoteSocketAddress(), pid);
                    socket.close();
                    continue;
                }
                try {
                    socket.setSoTimeout((int) Math.max(1, left));
                    handshake(socket);
                    socket.setSoTimeout(0);
                    return Bootstrap.virtualMachineManager().createVirtualMachine(new SocketConnection(socket));
                } catch (IOException | RuntimeException e) {
                    socket.close();
                    throw e;
                }
            }
        }
    }

    /** The debugger says the handshake first and the JVM says it back. */
    private static void handshake(Socket socket) throws IOException {
        socket.getOutputStream().write(HANDSHAKE);
        byte[] answer = new byte[HANDSHAKE.length];
        new DataInputStream(socket.getInputStream()).readFully(answer);
        if (!Arrays.equals(answer, HANDSHAKE)) {
            throw new IOException("the user JVM's debug agent did not answer the JDWP handshake");
        }
    }

    /**
     * Whether the client end of {@code socket} is a socket of process {@code pid}: its inode in the
     * kernel's TCP tables is one of the process's file descriptors. Without {@code /proc/net} (not Linux)
     * the owner cannot be told, and the first connection is taken.
     */
    static boolean connectedBy(Socket socket, long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        boolean readable = false;
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            readable = true;
            inodes.addAll(clientInodes(Files.readAllLines(file), socket.getPort(), socket.getLocalPort()));
        }
        if (!readable) {
            return true;
        }
        if (inodes.isEmpty()) {
            return false;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(PROC.resolve(Long.toString(pid)).resolve("fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                        return true;
                    }
                } catch (IOException closed) {
                    // a descriptor closed while we looked
                }
            }
        } catch (IOException gone) {
            return false; // the process has ended, or is not ours to look at
        }
        return false;
    }

    /**
     * The inodes of the sockets in a {@code /proc/net/tcp} table whose local port is {@code clientPort}
     * and remote port {@code serverPort} (the client's end of our connection).
     */
    static Set<String> clientInodes(List<String> table, int clientPort, int serverPort) {
        Set<String> inodes = new HashSet<>();
        String local = String.format(Locale.ROOT, ":%04X", clientPort);
        String remote = String.format(Locale.ROOT, ":%04X", serverPort);
        for (String line : table.subList(Math.min(1, table.size()), table.size())) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 9 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                inodes.add(f[9]);
            }
        }
        return inodes;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing is listening any more either way
        }
    }

    /** JDWP packets over the accepted socket: each starts with its length, header included. */
    private static final class SocketConnection extends Connection {

        private static final int HEADER = 11;

        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        private final Object reading = new Object();
        private final Object writing = new Object();

        SocketConnection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        @Override
        public byte[] readPacket() throws IOException {
            synchronized (reading) {
                checkOpen();
                int length;
                try {
                    length = in.readInt();
                } catch (EOFException end) {
                    return new byte[0];
                } catch (IOException e) {
                    checkOpen();
                    throw e;
                }
                if (length < HEADER) {
                    throw new IOException("a JDWP packet of " + length + " bytes, shorter than its header");
                }
                byte[] packet = new byte[length];
                packet[0] = (byte) (length >>> 24);
                packet[1] = (byte) (length >>> 16);
                packet[2] = (byte) (length >>> 8);
                packet[3] = (byte) length;
                try {
                    in.readFully(packet, 4, length - 4);
                } catch (IOException e) {
                    checkOpen();
                    throw e;
                }
                return packet;
            }
        }

        @Override
        public void writePacket(byte[] packet) throws IOException {
            if (packet.length < HEADER) {
                throw new IllegalArgumentException("a JDWP packet of " + packet.length + " bytes, shorter than its header");
            }
            synchronized (writing) {
                checkOpen();
                try {
                    out.write(packet);
                    out.flush();
                } catch (IOException e) {
                    checkOpen();
                    throw e;
                }
            }
        }

        private void checkOpen() throws ClosedConnectionException {
            if (socket.isClosed()) {
                throw new ClosedConnectionException();
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        @Override
        public boolean isOpen() {
            return !socket.isClosed();
        }
    }
}
