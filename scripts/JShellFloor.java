import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.Arrays;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;

/**
 * The floor of a Java kernel's round trip: JShell evaluating a snippet in its own process, with the
 * JDK's local execution engine and no kernel around it. `make bench-kernel` runs it beside the
 * kernel's warm `1+1` and prints the ratio of the two.
 *
 *     java scripts/JShellFloor.java [SNIPPET] [WARM-UPS] [RUNS]
 *     p50 13.1 ms  p95 17.9 ms  (n=50, 20 warm-ups, "1+1")
 *
 * With `--paced` as a fourth argument it prints "ready" after the warm-ups, then evaluates the
 * snippet once per line read from standard input and prints that evaluation's nanoseconds, so that a
 * benchmark can time the floor and the kernel in turns, each pair under the same load of a shared machine.
 * Arguments after `--paced` are imports (each like `java.util.*`), declared as one snippet before the
 * warm-ups, as a kernel declares its default imports before the first cell:
 *
 *     java -cp FLOOR.jar:CELL-JARS JShellFloor 1+1 20 0 --paced java.util.* java.util.concurrent.*
 *
 * The floor of a kernel's first result, JShell's own cold start in a fresh JVM:
 *
 *     java -cp FLOOR.jar:CELL-JARS JShellFloor --cold SNIPPET [IMPORT...]
 *
 * builds JShell, evaluates the imports (each like `java.util.*`) as one snippet, the fewest compilations
 * JShell needs for them, then the snippet, prints its value and exits; the benchmark times it from spawn.
 */
public final class JShellFloor {

    public static void main(String[] args) throws IOException {
        if (args.length > 1 && args[0].equals("--cold")) {
            cold(args[1], Arrays.copyOfRange(args, 2, args.length));
            return;
        }
        String snippet = args.length > 0 ? args[0] : "1+1";
        int warmUps = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        boolean paced = args.length > 3 && args[3].equals("--paced");
        String[] imports = paced ? Arrays.copyOfRange(args, 4, args.length) : new String[0];
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            if (!declare(shell, imports)) {
                System.out.println("imports failed");
                return;
            }
            for (int i = 0; i < warmUps; i++) {
                shell.eval(snippet);
            }
            if (paced) {
                System.out.println("ready");
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                while (in.readLine() != null) {
                    System.out.println(timed(shell, snippet));
                }
                return;
            }
            long[] nanos = new long[runs];
            for (int i = 0; i < runs; i++) {
                nanos[i] = timed(shell, snippet);
            }
            Arrays.sort(nanos);
            // the median and the 95th percentile as bench-kernel.py computes them for the kernel
            double median = runs % 2 == 1 ? nanos[runs / 2] : (nanos[runs / 2 - 1] + nanos[runs / 2]) / 2.0;
            long p95 = nanos[(int) Math.round(0.95 * (runs - 1))];
            System.out.printf("p50 %.1f ms  p95 %.1f ms  (n=%d, %d warm-ups, \"%s\")%n", median / 1e6, p95 / 1e6, runs, warmUps, snippet);
        }
    }

    private static void cold(String snippet, String[] imports) {
        try (JShell shell = JShell.builder().executionEngine("local").build()) {
            if (!declare(shell, imports)) {
                System.out.println("imports failed");
                return;
            }
            System.out.println(shell.eval(snippet).getFirst().value());
        }
    }

    /** Declares the imports as one snippet, the fewest compilations JShell needs for them; false if one fails. */
    private static boolean declare(JShell shell, String[] imports) {
        if (imports.length == 0) {
            return true;
        }
        StringBuilder all = new StringBuilder();
        for (String i : imports) {
            all.append("import ").append(i).append(";\n");
        }
        return shell.eval(all.toString()).stream().allMatch(e -> e.status() == Snippet.Status.VALID);
    }

    private static long timed(JShell shell, String snippet) {
        long t0 = System.nanoTime();
        shell.eval(snippet);
        return System.nanoTime() - t0;
    }
}
