package dev.jcn.helpers.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A cluster member in its own JVM, with its workers: what {@link Cluster#localJvms} starts as child processes
 * and what {@code scripts/cluster-member.sh} starts on a machine of its own (like {@code celery worker}).
 *
 * <pre>{@code
 * java -cp helpers.jar:hazelcast.jar dev.jcn.helpers.cluster.MemberMain \
 *      --cluster jcn --bind 127.0.0.1 --port 5701 --join 127.0.0.1:5702,127.0.0.1:5703 --workers 1
 * }</pre>
 *
 * <p>{@code MemberMain --jvm-options} prints the JVM options a member needs
 * ({@link ClusterSettings#MEMBER_JVM_OPTIONS}), one per line, for the script. A member prints
 * {@code ready <address> <uuid> <milliseconds to start>} once it has joined, then one line per member that joins
 * or leaves (a member that left says whether it did so {@code cleanly} or {@code without a goodbye}), and
 * Hazelcast's warnings and errors one line each on standard error. It leaves cleanly on a {@code stop} line on
 * standard input (then prints {@code stopped <address>}) or on SIGTERM/Ctrl-C, finishing the jobs it holds;
 * killed with SIGKILL, the other members redeliver its jobs. Bad arguments end it with a one-line message and
 * exit code 2.
 *
 * <p>A member JVM that {@link Cluster#localJvms} started ends within a tenth of a second of the JVM that started
 * it being gone, however that ended (kill -9 included): it runs behind {@link dev.jcn.helpers.process.ChildMain},
 * which watches the starter's process handle (start time included, so a reused pid does not fool it) and halts
 * the member. A graceful leave would be pointless then, the client that wanted the results being gone. The end
 * of standard input is not used for it: standard input carries the {@code stop} line, and a member started by
 * the script, from a terminal or under {@code nohup}, reads an end of input that says nothing about an owner.
 */
public final class MemberMain {

    /** The first word of the line a member prints once it has joined. */
    public static final String READY = "ready";

    private MemberMain() {
    }

    /**
     * Options: {@code --cluster NAME --bind ADDRESS --port N --join HOST:PORT,... --workers N --quiet true}; a
     * quiet member prints its ready line and member events, not Hazelcast's warnings.
     */
    public static void main(String[] args) {
        long t0 = System.nanoTime();
        if (args.length == 1 && args[0].equals("--jvm-options")) {
            // The member script asks which JVM options a member needs, so they are written down once.
            ClusterSettings.MEMBER_JVM_OPTIONS.forEach(System.out::println);
            return;
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("cluster member: " + e.getMessage());
            System.exit(2);
            return;
        }
        PrintStream out = System.out;
        if (!options.quiet) {
            QuietLogging.echo(System.err);
        }
        // Hazelcast's threads can end with an exception of their own (seen here: a reconnection to the member's
        // own address while members came and went); one line, not a stack trace, and none in a quiet member.
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (!options.quiet) {
                System.err.println("cluster member: thread " + thread.getName() + " ended: " + e);
            }
        });
        MemberNode node;
        try {
            node = MemberNode.start(ClusterSettings.member(options.cluster, options.bind, options.port, options.join),
                    options.workers, out::println);
        } catch (RuntimeException e) {
            System.err.println("cluster member: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        out.printf(Locale.ROOT, "%s %s %s %d%n", READY, node.address(), node.uuid(), (System.nanoTime() - t0) / 1_000_000);
        out.flush();
        Thread hook = new Thread(node::close, "jcn-member-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // Standard input is read only for "stop": at its end (a terminal closed, /dev/null) the member stays.
        try (var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.strip().equals("stop")) {
                    Runtime.getRuntime().removeShutdownHook(hook);
                    node.close();
                    out.println("stopped " + node.address());
                    out.flush();
                    System.exit(0);
                }
            }
        } catch (IOException ignored) {
            // No usable standard input: SIGTERM stops the member.
        }
        while (node.isRunning()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The parsed command line. */
    record Options(String cluster, String bind, int port, List<String> join, int workers, boolean quiet) {

        static Options parse(String[] args) {
            String cluster = ClusterSettings.DEFAULT_NAME;
            String bind = ClusterSettings.LOOPBACK;
            int port = ClusterSettings.DEFAULT_PORT;
            List<String> join = new ArrayList<>();
            int workers = 1;
            boolean quiet = false;
            for (int i = 0; i < args.length; i++) {
                String option = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + option + " needs a value");
                }
                String value = args[++i];
                switch (option) {
                    case "--cluster" -> cluster = value;
                    case "--bind" -> bind = value;
                    case "--port" -> port = number(option, value, 0, 65535);
                    case "--join" -> Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                            .forEach(join::add);
                    case "--workers" -> workers = number(option, value, 0, 64);
                    case "--quiet" -> quiet = Boolean.parseBoolean(value);
                    default -> throw new IllegalArgumentException("unknown option " + option + "; the options are"
                            + " --cluster NAME --bind ADDRESS --port N --join HOST:PORT,... --workers N"
                            + " --quiet true|false");
                }
            }
            return new Options(cluster, bind, port, join, workers, quiet);
        }

        private static int number(String option, String value, int min, int max) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // Reported below.
            }
            throw new IllegalArgumentException(option + " takes a number from " + min + " to " + max + ", got " + value);
        }
    }
}
