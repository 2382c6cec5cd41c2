package dev.jcn.kernel.debug;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jdi.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The kernel's debug port takes the user JVM it started and no other local process: a process
 * that connects first is closed and the JVM still becomes the debuggee. A socket's owner is
 * looked up in Linux's {@code /proc}.
 */
@EnabledOnOs(OS.LINUX)
class JdwpListenerTest {

    /** A JVM that waits for its standard input to close, as the user JVM waits for the kernel. */
    public static final class Waiting {
        public static void main(String[] args) throws IOException {
            while (System.in.read() >= 0) {
                // until the test closes the pipe
            }
        }
    }

    @Test
    void aProcessConnectingBeforeTheUserJvmIsClosedAndTheJvmIsTheDebuggee() throws Exception {
        try (JdwpListener listener = JdwpListener.open()) {
            String port = listener.agentOption().substring(listener.agentOption().lastIndexOf(':') + 1);
            // this test's JVM connects first, as another local process could
            try (Socket intruder = new Socket("127.0.0.1", Integer.parseInt(port))) {
                Process jvm = startWaiting(listener.agentOption());
                try {
                    VirtualMachine vm = listener.accept(jvm.pid());
                    try {
                        assertThat(vm.allThreads()).anySatisfy(t -> assertThat(t.name()).isEqualTo("main"));
                        intruder.setSoTimeout(10_000);
                        InputStream in = intruder.getInputStream();
                        assertThat(in.read()).as("the intruder's connection is closed without a handshake").isEqualTo(-1);
                    } finally {
                        vm.dispose();
                    }
                } finally {
                    jvm.getOutputStream().close();
                    assertThat(jvm.waitFor(30, TimeUnit.SECONDS)).isTrue();
                }
            }
        }
    }

    @Test
    void findsTheClientEndOfAConnectionInTheTcpTable() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 0100007F:A1B2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1",
                "   1: 0100007F:C350 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 222 1",
                "   2: 0100007F:A1B2 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 333 1");
        assertThat(JdwpListener.clientInodes(table, 0xC350, 0xA1B2)).containsExactly("222");
    }

    @Test
    void aConnectionIsTakenAsTheProcessThatOwnsItsClientEnd() throws Exception {
        Process other = startWaiting("-Dwaiting=true");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            assertThat(JdwpListener.connectedBy(accepted, ProcessHandle.current().pid())).isTrue();
            assertThat(JdwpListener.connectedBy(accepted, other.pid())).isFalse();
        } finally {
            other.getOutputStream().close();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private static Process startWaiting(String option) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, option, "-cp", System.getProperty("java.class.path"), Waiting.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }
}
