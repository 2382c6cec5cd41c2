package dev.jcn.kernel.debug;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.connect.ListeningConnector;
import java.io.IOException;
import java.util.Map;

/**
 * Where a user JVM's debug agent reports to: the kernel listens on a loopback port for one
 * connection, and the user JVM's JDWP agent connects out to it as the JVM starts
 * ({@code server=n}), so the user JVM never listens on a port that anything else could attach to.
 *
 * <pre>{@code
 * JdwpListener listener = JdwpListener.open();
 * command.add(listener.agentOption());              // then start the JVM
 * VirtualMachine vm = listener.accept();            // blocks until it connects
 * }</pre>
 */
public final class JdwpListener implements AutoCloseable {

    private static final String CONNECTOR = "com.sun.jdi.SocketListen";

    private final ListeningConnector connector;
    private final Map<String, Connector.Argument> arguments;
    private final int port;
    private boolean listening = true;

    private JdwpListener(ListeningConnector connector, Map<String, Connector.Argument> arguments, int port) {
        this.connector = connector;
        this.arguments = arguments;
        this.port = port;
    }

    /** Listens on a free loopback port. */
    public static JdwpListener open() throws IOException {
        ListeningConnector connector = Bootstrap.virtualMachineManager().listeningConnectors().stream()
                .filter(c -> c.name().equals(CONNECTOR)).findFirst()
                .orElseThrow(() -> new IOException("this JDK has no " + CONNECTOR + " connector"));
        Map<String, Connector.Argument> arguments = connector.defaultArguments();
        arguments.get("localAddress").setValue("127.0.0.1");
        arguments.get("port").setValue("0");
        Connector.Argument timeout = arguments.get("timeout");
        if (timeout != null) {
            timeout.setValue("60000"); // a user JVM that never connects does not hold a thread for ever
        }
        try {
            String address = connector.startListening(arguments);
            return new JdwpListener(connector, arguments, Integer.parseInt(address.substring(address.lastIndexOf(':') + 1)));
        } catch (IllegalConnectorArgumentsException | NumberFormatException e) {
            throw new IOException("cannot listen for the user JVM's debug agent: " + e.getMessage(), e);
        }
    }

    /** The JVM option that makes a JVM connect here as it starts, and go on running. */
    public String agentOption() {
        return "-agentlib:jdwp=transport=dt_socket,server=n,suspend=n,address=127.0.0.1:" + port;
    }

    /** Waits for the JVM to connect (at most a minute), then stops listening. */
    public VirtualMachine accept() throws IOException {
        try {
            return connector.accept(arguments);
        } catch (IllegalConnectorArgumentsException e) {
            throw new IOException(e.getMessage(), e);
        } finally {
            close();
        }
    }

    @Override
    public synchronized void close() {
        if (listening) {
            listening = false;
            try {
                connector.stopListening(arguments);
            } catch (IOException | IllegalConnectorArgumentsException e) {
                // nothing is listening any more either way
            }
        }
    }
}
