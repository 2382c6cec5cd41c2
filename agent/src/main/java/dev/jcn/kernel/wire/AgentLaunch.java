package dev.jcn.kernel.wire;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * How the kernel starts the agent: its main class, its argument for an AOT training run, and where
 * its classes are. The kernel names the agent only through this class, so that it never depends on
 * the agent's inside.
 *
 * <pre>{@code
 * java -cp CELL_CLASS_PATH:AGENT_JAR dev.jcn.kernel.agent.AgentMain /tmp/jcn-kernel-1/agent.sock
 * java -XX:AOTCacheOutput=user-jvm.aot -cp ... dev.jcn.kernel.agent.AgentMain --train-aot-cache
 * }</pre>
 */
public final class AgentLaunch {

    /** The agent's main class; its one argument is the path of the kernel's Unix domain socket. */
    public static final String MAIN_CLASS = "dev.jcn.kernel.agent.AgentMain";

    /** The argument that makes the agent a training run for the AOT cache instead of a session. */
    public static final String TRAIN = "--train-aot-cache";

    /** The class of the agent's cell threads, and the name of the one that waits for the next cell. */
    public static final String CELL_THREAD_CLASS = "dev.jcn.kernel.agent.CellRuns$CellThread";
    public static final String IDLE_CELL_THREAD = "next-cell";

    /**
     * The system property ({@code -Djcn.kernel.debugger=true}) of a user JVM started in debug mode, with the
     * JDWP agent: only there does JShell compile with local variables and map snippet classes to cell lines.
     */
    public static final String DEBUGGER = "jcn.kernel.debugger";

    /**
     * The system property naming the file where the agent keeps which packages each jar of the cells' class
     * path holds ({@code -Djcn.kernel.packageIndex=.../cell/packages.idx}): written by the training run of
     * the start-up cache, read by every user JVM's compiler so that it opens only the jars it needs.
     */
    public static final String PACKAGE_INDEX = "jcn.kernel.packageIndex";

    private AgentLaunch() {}

    /** The jar (or class folder) that holds the agent and the wire. */
    public static Path classPathEntry() {
        try {
            return Path.of(AgentLaunch.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the agent's classes", e);
        }
    }
}
