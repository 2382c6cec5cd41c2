package dev.jcn.helpers.bench;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.IllegalConnectorArgumentsException;
import com.sun.jdi.connect.ListeningConnector;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;
import dev.jcn.helpers.timing.StartCosts;
import dev.jcn.helpers.timing.Timing;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the JDWP debugging agent costs a notebook's JVM that has it loaded, with no debugger attached
 * and connected to a debugger that asks for nothing (as the kernel's user JVM is while JupyterLab's
 * debugger is off): the prime loop's time per trial division (thread CPU time), what notebook 01 prints as
 * thread start costs (median wall time, and the process CPU time per thread), and a loop that boxes a
 * {@code long}. JDK 25 can load JDWP only when a JVM
 * starts, so a debugger that is always available means this agent in every user JVM.
 *
 * <pre>{@code
 * JdwpCost.run(5);   // 5 rounds of a fresh child JVM per set-up, set-ups alternating; prints a table
 * }</pre>
 *
 * <p>Each child JVM runs {@link #main}: two warm-up passes and {@value #PASSES} timed passes of
 * {@code Primes.isPrime} over {@code Primes.NUMBERS} (median), then
 * {@code StartCosts.platformThread/virtualThread(2000)} as notebook 01 calls them, then the boxing loop,
 * and prints one line of figures. The set-ups run in turn within each round, the first one rotating, so
 * that a busy spell of the shared machine falls on all of them alike. For the connected set-up this
 * JVM listens on a loopback port and the child's agent connects out to it as it starts
 * ({@code server=n}), as the kernel does.
 */
public final class JdwpCost {

    /** The cost the issue allows for having the debugger available on the prime loop. */
    static final double LIMIT_PERCENT = 2;

    static final String JDWP = "-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:0,quiet=y";

    private static final int PASSES = 5;
    private static final int STARTS = 2000;
    private static final long BOXED = 50_000_000;

    /** The set-ups, by name: the user JVM's thread tracking in all, JDWP in the others. */
    private static final Map<String, List<String>> SETUPS = new LinkedHashMap<>();
    /** The set-up whose JVM connects to a debugger here; its agent option names the port at each run. */
    private static final String CONNECTED = "connected, debugger off";

    static {
        SETUPS.put("no agent", List.of("-Djdk.trackAllThreads=true"));
        SETUPS.put("jdwp loaded", List.of("-Djdk.trackAllThreads=true", JDWP));
        SETUPS.put(CONNECTED, List.of("-Djdk.trackAllThreads=true"));
    }

    private JdwpCost() {
    }

    /**
     * The child JVM's side: prints {@code prime_ns=… platform_us=… platform_cpu_us=… virtual_us=… virtual_cpu_us=…
     * boxing_ns=…}; a start's {@code _us} is the median wall time notebook 01 prints, its {@code _cpu_us} the
     * process CPU time of the whole batch per thread, which a busy machine disturbs less.
     */
    public static void main(String[] args) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long divisions = Primes.divisions(Primes.NUMBERS);
        for (int i = 0; i < 2; i++) {
            Primes.NUMBERS.forEach(Primes::isPrime);
        }
        List<Double> prime = new ArrayList<>();
        for (int i = 0; i < PASSES; i++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            Primes.NUMBERS.forEach(Primes::isPrime);
            prime.add((threads.getCurrentThreadCpuTime() - cpu0) / (double) divisions);
        }
        StartCosts.platformThread(STARTS / 4);
        StartCosts.virtualThread(STARTS / 4);
        var process = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long beforePlatform = process.getProcessCpuTime();
        double platform = StartCosts.platformThread(STARTS).toNanos() / 1e3;
        long beforeVirtual = process.getProcessCpuTime();
        double virtual = StartCosts.virtualThread(STARTS).toNanos() / 1e3;
        long after = process.getProcessCpuTime();
        List<Double> boxing = new ArrayList<>();
        long sink = 0;
        for (int i = 0; i < PASSES + 2; i++) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            sink += boxAndUnbox(BOXED);
            if (i >= 2) {
                boxing.add((threads.getCurrentThreadCpuTime() - cpu0) / (double) BOXED);
            }
        }
        System.out.printf(Locale.ROOT, "prime_ns=%.4f platform_us=%.3f platform_cpu_us=%.3f virtual_us=%.3f "
                + "virtual_cpu_us=%.3f boxing_ns=%.4f sink=%d%n", Timing.median(prime), platform,
                (beforeVirtual - beforePlatform) / 1e3 / STARTS, virtual, (after - beforeVirtual) / 1e3 / STARTS, Timing.median(boxing), sink);
    }

    /** A loop whose boxes the JIT removes when it may: each {@code Long} is made and dropped at once. */
    private static long boxAndUnbox(long n) {
        long sum = 0;
        for (long i = 0; i < n; i++) {
            Long boxed = i;
            sum += boxed;
        }
        return sum;
    }

    /** Runs {@code rounds} rounds and prints each set-up's medians and their difference from "no agent". */
    public static void run(int rounds) {
        System.out.printf(Locale.ROOT, "%nJDWP agent loaded at start, without and with a debugger connected"
                + " that asks for nothing (%d rounds, a fresh JVM per run; %s):%n", rounds, HelpersBenchmark.load());
        Map<String, List<double[]>> figures = new LinkedHashMap<>();
        SETUPS.keySet().forEach(k -> figures.put(k, new ArrayList<>()));
        List<String> names = new ArrayList<>(SETUPS.keySet());
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((r + i) % names.size());
                figures.get(name).add(name.equals(CONNECTED) ? connected(SETUPS.get(name)) : once(SETUPS.get(name)));
            }
        }
        String[] labels = {"prime loop, ns/division (CPU)", "platform thread start+join, µs",
            "  same, process CPU µs per thread", "virtual thread start+join, µs", "  same, process CPU µs per thread",
            "boxing loop, ns/iteration (CPU)"};
        double[] base = medians(figures.get(names.get(0)));
        double[] jdwp = medians(figures.get(names.get(1)));
        double[] connected = medians(figures.get(names.get(2)));
        System.out.printf(Locale.ROOT, "  %-34s %10s %12s %8s %24s %8s%n", "figure (median)", names.get(0), names.get(1), "change",
                names.get(2), "change");
        for (int f = 0; f < labels.length; f++) {
            System.out.printf(Locale.ROOT, "  %-34s %10.3f %12.3f %+7.1f%% %24.3f %+7.1f%%%n", labels[f], base[f], jdwp[f],
                    (jdwp[f] / base[f] - 1) * 100, connected[f], (connected[f] / base[f] - 1) * 100);
        }
        double prime = (jdwp[0] / base[0] - 1) * 100;
        double primeConnected = (connected[0] / base[0] - 1) * 100;
        System.out.printf(Locale.ROOT, "  prime loop with JDWP loaded: %+.1f %%, connected as in the kernel: %+.1f %%  limit %.0f %% %s;"
                + " after the runs: %s%n", prime, primeConnected, LIMIT_PERCENT,
                HelpersBenchmark.mark(prime <= LIMIT_PERCENT && primeConnected <= LIMIT_PERCENT), HelpersBenchmark.load());
    }

    private static double[] medians(List<double[]> runs) {
        double[] m = new double[runs.get(0).length];
        for (int f = 0; f < m.length; f++) {
            int field = f;
            m[f] = Timing.median(runs.stream().map(d -> d[field]).toList());
        }
        return m;
    }

    /** One run whose JVM connects its agent to a debugger in this JVM that asks for nothing. */
    private static double[] connected(List<String> options) {
        ListeningConnector listen = Bootstrap.virtualMachineManager().listeningConnectors()
                .stream().filter(c -> c.name().equals("com.sun.jdi.SocketListen")).findFirst().orElseThrow();
        var arguments = listen.defaultArguments();
        arguments.get("localAddress").setValue("127.0.0.1");
        arguments.get("port").setValue("0");
        try {
            String address = listen.startListening(arguments);
            List<String> all = new ArrayList<>(options);
            all.add("-agentlib:jdwp=transport=dt_socket,server=n,suspend=n,address=127.0.0.1:"
                    + address.substring(address.lastIndexOf(':') + 1));
            var accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return listen.accept(arguments);
                } catch (Exception e) {
                    throw new IllegalStateException("the JdwpCost child did not connect: " + e, e);
                }
            });
            try {
                return once(all);
            } finally {
                disconnect(accepted.join());
                listen.stopListening(arguments);
            }
        } catch (IOException | IllegalConnectorArgumentsException e) {
            throw new IllegalStateException("cannot listen for a JdwpCost child's agent: " + e, e);
        }
    }

    /** Lets the child go; it has usually ended already, which closed the connection. */
    private static void disconnect(VirtualMachine vm) {
        try {
            vm.dispose();
        } catch (VMDisconnectedException ended) {
            // nothing left to let go
        }
    }

    private static double[] once(List<String> options) {
        try (ChildProcess child = ChildJvm.of(JdwpCost.class).fastStart(false).jvmOptions(options).onOutputLine(l -> { })
                .start()) {
            Optional<String> line = child.awaitLine(l -> l.startsWith("prime_ns="), Duration.ofMinutes(5));
            if (line.isEmpty()) {
                throw new IllegalStateException("a JdwpCost child printed no figures within 5 minutes: " + child.output());
            }
            Map<String, Double> f = new LinkedHashMap<>();
            for (String pair : line.get().split(" ")) {
                String[] kv = pair.split("=");
                f.put(kv[0], Double.parseDouble(kv[1]));
            }
            return new double[] {f.get("prime_ns"), f.get("platform_us"), f.get("platform_cpu_us"), f.get("virtual_us"),
                f.get("virtual_cpu_us"), f.get("boxing_ns")};
        }
    }
}
