package dev.jcn.helpers.process;

import java.time.Duration;

/**
 * A child main class like the notes' multiprocessing test: prints its pid and parent pid, sleeps, exits.
 *
 * <pre>{@code
 * try (var child = ChildJvm.start(Sleeper.class, "100")) {      // seconds to sleep
 *     System.out.println(ProcessTree.current());                 // the child under this JVM, like ps
 * }
 * ChildJvm.start(Sleeper.class, "0", "3").waitFor(...);         // sleeps 0 s, then exits with code 3
 * }</pre>
 */
public final class Sleeper {

    private Sleeper() {
    }

    /** Arguments: seconds to sleep (decimal, default 100), then an optional exit code. */
    public static void main(String[] args) throws InterruptedException {
        ChildMain.watchParent();
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 100;
        int exitCode = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        ProcessHandle self = ProcessHandle.current();
        System.out.println("[child] pid " + self.pid() + ", ppid "
                + self.parent().map(p -> Long.toString(p.pid())).orElse("?"));
        System.out.println("[child] sleeping " + seconds + " s");
        Thread.sleep(Duration.ofNanos((long) (seconds * 1e9)));
        System.out.println("[child] done");
        System.exit(exitCode);
    }
}
