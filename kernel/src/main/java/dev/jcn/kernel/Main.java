package dev.jcn.kernel;

import dev.jcn.kernel.execution.Interpreter;
import dev.jcn.kernel.execution.InterpreterEvents;
import dev.jcn.kernel.execution.UserJvmInterpreter;
import dev.jcn.kernel.install.KernelSpecInstaller;
import dev.jcn.kernel.protocol.ConnectionInfo;
import dev.jcn.kernel.protocol.KernelInfo;
import dev.jcn.kernel.protocol.KernelServer;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.LoggerFactory;

/**
 * Starts the kernel, or installs its kernelspec.
 *
 * <pre>{@code
 * java --enable-preview -cp kernel.jar:lib/* dev.jcn.kernel.Main /path/to/connection.json
 * java --enable-preview -cp kernel.jar:lib/* dev.jcn.kernel.Main install --user
 * }</pre>
 *
 * <p>The kernel logs to {@code $JCN_KERNEL_LOG}, else to a file per kernel in
 * {@code ~/.local/share/jcn-kernel/}, named after the connection file ({@code kernel-<id>.log}), never to
 * its own stdout or stderr. The file is appended to, so a restart keeps what the earlier run logged. Cells run in a user JVM ({@code UserJvmInterpreter}); {@link #serve}
 * runs the same kernel on another {@link Interpreter}.
 */
public final class Main {

    /** How long a kernel's log file is kept after its last line. */
    private static final int LOG_DAYS = 14;
    private static final String USAGE = """
            usage: Main CONNECTION_FILE
                   Main install [--user | --sys-prefix | --prefix DIR] [--name NAME]""";

    private Main() {}

    /** Entry point; exits with 0 after a shutdown request, 2 on bad arguments, 1 when a port is taken. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("install")) {
            System.exit(KernelSpecInstaller.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        // A lambda, not a constructor reference: the interpreter's classes load on its own start-up thread.
        serve(args, events -> new UserJvmInterpreter(events));
    }

    /**
     * Runs the kernel for the connection file {@code args[0]}, with the interpreter that
     * {@code interpreter} makes (on a thread of its own, while the kernel comes up); exits as {@link #main}.
     */
    public static void serve(String[] args, Function<InterpreterEvents, Interpreter> interpreter) {
        if (args.length != 1 || args[0].startsWith("-")) {
            System.err.println(USAGE);
            System.exit(2);
        }
        ConnectionInfo info;
        try {
            info = ConnectionInfo.read(Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            System.err.println("jcn-kernel: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream console = System.err;
        configureLogging(Path.of(args[0]));
        // The user JVM starts before the kernel's own sockets and libraries: the two start-ups overlap.
        DeferredInterpreter deferred = new DeferredInterpreter(interpreter);
        deferred.start();
        KernelServer server;
        try {
            server = KernelServer.start(info, events -> {
                deferred.connect(events);
                return deferred;
            });
        } catch (IllegalStateException e) {
            LoggerFactory.getLogger(Main.class).error("cannot start", e);
            console.println("jcn-kernel: " + e.getMessage());
            System.exit(1);
            return;
        }
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                server.close();
            }
        };
        // SIGTERM from the frontend must still take the user JVM down with the kernel.
        Runtime.getRuntime().addShutdownHook(new Thread(close, "jcn-shutdown"));
        onSigint(server::interrupt);
        // A client killed without a shutdown request must not leave the kernel (and user JVM) behind.
        ParentWatch watch = ParentWatch.start(System.getenv(), () -> System.exit(0));
        try {
            server.awaitShutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            watch.close();
        }
        close.run();
        System.exit(0);
    }

    /**
     * A frontend that ignores interrupt_mode sends SIGINT: stop the cell rather than the kernel.
     * Reached reflectively because sun.misc.Signal is the only public hook and javac warns on it.
     */
    private static void onSigint(Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(Main.class.getClassLoader(), new Class<?>[] {handler}, (p, method, a) -> {
                if (method.getName().equals("handle")) {
                    action.run();
                }
                return null;
            });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("INT"), proxy);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LoggerFactory.getLogger(Main.class).warn("SIGINT stays fatal: {}", e.toString());
        }
    }

    /**
     * Points slf4j-simple at the log file; must run before the first logger is created. slf4j-simple
     * empties a file it is given, which would lose the lines of the run before a restart, so it writes
     * to {@code System.err} and that is the file, opened to append; whatever else the kernel's
     * libraries print there lands in the log too. System properties set before the start win over
     * these defaults.
     */
    private static void configureLogging(Path connectionFile) {
        String env = System.getenv("JCN_KERNEL_LOG");
        Path logs = Path.of(System.getProperty("user.home"), ".local", "share", "jcn-kernel");
        Path log = env != null && !env.isBlank() ? Path.of(env) : logs.resolve(logName(connectionFile));
        if (log.startsWith(logs)) {
            removeOldLogs(logs);
        }
        try {
            Path parent = log.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            System.setErr(new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8));
            setDefault("org.slf4j.simpleLogger.logFile", "System.err");
        } catch (IOException e) {
            // Without a writable log file, logging is dropped rather than sent to the notebook's streams.
            setDefault("org.slf4j.simpleLogger.defaultLogLevel", "off");
        }
        // The provider named, not looked for: slf4j would open every jar of the class path to find it, on the
        // way to the user JVM's launch (slf4j-simple finds simplelogger.properties in the kernel's jar, first).
        setDefault("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
        setDefault("slf4j.internal.verbosity", "WARN");
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
        setDefault("org.slf4j.simpleLogger.showThreadName", "true");
        // Without class data sharing the kernel's start-up cache named in kernel.json is stale or gone (the JVM
        // then maps not even the JDK's default archive): a new install makes it again.
        LoggerFactory.getLogger(Main.class).info("kernel {} starting, pid {}, connection file {}, class data sharing {}",
                KernelInfo.VERSION, ProcessHandle.current().pid(), connectionFile,
                System.getProperty("java.vm.info", "").contains("sharing") ? "on" : "off (make install-kernel makes the start-up cache again)");
    }

    /** Every kernel start writes a file of its own: those untouched for {@link #LOG_DAYS} days go. */
    private static void removeOldLogs(Path logs) {
        long before = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(LOG_DAYS);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(logs, "kernel-*.log")) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toMillis() < before) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // a log that cannot be listed or removed is left; the kernel does not depend on it
        }
    }

    /**
     * {@code kernel-<id>.log} for Jupyter's {@code kernel-<id>.json}: two notebooks' kernels write to
     * files of their own, and a restart, which keeps the connection file, to the same one.
     */
    static String logName(Path connectionFile) {
        String name = connectionFile.getFileName() == null ? "" : connectionFile.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return stem.matches("kernel-[A-Za-z0-9-]+") ? stem + ".log" : "kernel.log";
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
