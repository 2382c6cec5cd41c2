package dev.jcn.helpers.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;
import dev.jcn.notebook.spi.Host;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A Hazelcast cluster that runs {@link ClusterTask}s like a distributed task queue (Celery, RQ): three ways to
 * get one, one API.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.embedded(2)) {            // members inside this JVM: nothing to install
 *     ClusterRun run = cluster.run(Primes.NUMBERS);         // the 20 jobs; every result stored once
 *     System.out.println(run.report());
 * }
 * try (Cluster cluster = Cluster.localJvms(3)) {           // member JVMs on loopback, child processes
 *     cluster.batch(Primes.NUMBERS).killingMemberOn(9_999_999_999_999_917L).run().ranTwice();
 * }
 * try (Cluster cluster = Cluster.connect("10.0.0.5:5701", "10.0.0.6:5701")) {   // members started elsewhere
 *     cluster.delay(new PrimeCheck(7)).get(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>The notebook talks to every kind as a Hazelcast client. Members run {@link MemberNode}: a job sent with
 * {@link #delay} goes to the member that owns its key and runs there at once if one of its workers is free;
 * otherwise it waits in the queue, whose worker threads take jobs and claim those still running after 10 ms; and
 * the oldest member redelivers
 * the jobs of members that leave, so execution is at-least-once and each job's result is stored exactly once
 * (see {@link Broker}).
 * Members this class starts bind to 127.0.0.1 under a cluster name of their own; nothing phones home.
 *
 * <p>A cluster is a service of the notebook ({@link dev.jcn.notebook.Service}) named {@code cluster} (the
 * next ones {@code cluster-2}, ...): everything Hazelcast runs here runs on the service's threads
 * ({@link ServiceThreads}), not on the calling cell's, so interrupting a later cell does not touch the cluster,
 * Hazelcast's threads write into no cell, and the kernel's {@code %threads} lists them under the service's
 * name. Member events (a member joined or left) are printed one line each by the call during which they were
 * seen (or handed to the consumer given to the factory); {@link #events()} keeps them all.
 * {@link #close()}, the kernel's {@code %stop} (of all, or of the service by name), a restart and the end of
 * the user JVM shut the client and every member this object started down cleanly.
 */
public final class Cluster implements AutoCloseable {

    /** How long a client tries to reach a cluster before giving up. */
    private static final int CONNECT_SECONDS = 15;
    /** How long a member JVM may take from process start to its ready line. */
    private static final Duration MEMBER_START_TIMEOUT = Duration.ofSeconds(90);
    /** How long a member JVM asked to stop may take to leave before it is killed. */
    private static final Duration MEMBER_STOP_TIMEOUT = Duration.ofSeconds(15);
    /** How long a batch waits for its last result. */
    private static final Duration BATCH_TIMEOUT = Duration.ofMinutes(10);

    private enum Kind { EMBEDDED, JVMS, REMOTE }

    /** A member this object started. */
    private sealed interface Started permits Embedded, Jvm {
        String address();

        String uuid();

        Duration start();
    }

    private record Embedded(MemberNode node, Duration start) implements Started {
        @Override
        public String address() {
            return node.address();
        }

        @Override
        public String uuid() {
            return node.uuid();
        }
    }

    private record Jvm(ChildProcess process, String address, String uuid, Duration start) implements Started {
    }

    private final Kind kind;
    private final String name;
    private final ServiceThreads service;
    private final List<Started> started = new CopyOnWriteArrayList<>();
    /** Every member JVM process started, also those that never became members. */
    private final List<ChildProcess> launched = new CopyOnWriteArrayList<>();
    private final List<String> seeds;
    /**
     * The callers waiting for a result, by job key: a batch's jobs until the batch ends, a {@link #delay}ed job
     * until its handle has its result (or it is forgotten), so that a long-lived cluster keeps no entry per job.
     */
    private final Map<String, Consumer<JobResult>> waiting = new ConcurrentHashMap<>();
    /**
     * The direct calls of {@link #delay} not answered yet, by job key: the member writes the job's entry after
     * {@code delay()} returned, so a job forgotten meanwhile has its entry removed again once the call answers.
     */
    private final Map<String, CompletableFuture<?>> unanswered = new ConcurrentHashMap<>();
    private final BlockingQueue<String> unprinted = new LinkedBlockingQueue<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Consumer<String> out;
    private volatile HazelcastInstance client;

    private Cluster(Kind kind, String name, List<String> seeds, Consumer<String> events) {
        this.kind = kind;
        this.name = name;
        this.seeds = List.copyOf(seeds);
        this.out = events;
        this.service = ServiceThreads.start("cluster", this::shutdown);
        // Hazelcast logs on its own threads, which are the service's: in the kernel their standard error goes
        // to the kernel log, each line tagged with the service's name, and into no cell. Elsewhere (a test, a
        // benchmark) the warnings stay in QuietLogging.recent().
        if (Host.current() != Host.STANDALONE) {
            QuietLogging.echo(System.err);
        }
    }

    /** {@code members} members inside this JVM (Hazelcast embedded), and a client of them. */
    public static Cluster embedded(int members) {
        return embedded(members, System.out::println);
    }

    /** {@link #embedded(int)}, handing each member event line to {@code events} instead of printing it. */
    public static Cluster embedded(int members, Consumer<String> events) {
        return start(Kind.EMBEDDED, members, events);
    }

    /** {@code members} member JVMs on 127.0.0.1, as child processes of this JVM, and a client of them. */
    public static Cluster localJvms(int members) {
        return localJvms(members, System.out::println);
    }

    /** {@link #localJvms(int)}, handing each member event line to {@code events} instead of printing it. */
    public static Cluster localJvms(int members, Consumer<String> events) {
        return start(Kind.JVMS, members, events);
    }

    /**
     * A client of a cluster that runs elsewhere, e.g. members started with {@code scripts/cluster-member.sh}
     * on other machines, under the cluster name {@value ClusterSettings#DEFAULT_NAME}.
     *
     * @param addresses "host:port" of one or more members
     */
    public static Cluster connect(String... addresses) {
        return connect(ClusterSettings.DEFAULT_NAME, List.of(addresses));
    }

    /** A client of the cluster named {@code clusterName} at {@code addresses}. */
    public static Cluster connect(String clusterName, List<String> addresses) {
        if (addresses == null || addresses.isEmpty()) {
            throw new IllegalArgumentException("give the address (host:port) of at least one member");
        }
        for (String a : addresses) {
            if (a == null || !a.matches("[^\\s:]+(:\\d{1,5})?")) {
                throw new IllegalArgumentException("a member address looks like 10.0.0.5:5701, got '" + a + "'");
            }
        }
        Cluster c = new Cluster(Kind.REMOTE, clusterName, addresses, System.out::println);
        try {
            c.connectClient(addresses);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * What a parameter cell asks for: a client of the members of cluster {@code clusterName} at
     * {@code addresses} if any are given, else {@code members} embedded members.
     */
    public static Cluster of(int members, String clusterName, List<String> addresses) {
        return addresses == null || addresses.isEmpty() ? embedded(members) : connect(clusterName, addresses);
    }

    private static Cluster start(Kind kind, int members, Consumer<String> events) {
        if (members < 1) {
            throw new IllegalArgumentException("a cluster needs at least 1 member, got " + members);
        }
        Cluster c = new Cluster(kind, ClusterSettings.uniqueName(), List.of(), events);
        try {
            if (kind == Kind.JVMS) {
                c.startJvms(members);
            } else {
                for (int i = 0; i < members; i++) {
                    c.startEmbedded();
                }
                c.connectClient(c.started.stream().map(Started::address).toList());
            }
            for (ClusterMember m : c.startedMembers()) {
                c.event(String.format(Locale.ROOT, "member %s joined: %d member%s (%s, started in %.2f s)",
                        m.address(), m.number(), m.number() == 1 ? "" : "s", m.where(), m.start().toNanos() / 1e9));
            }
            c.printEvents();
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void startEmbedded() {
        List<String> join = started.stream().map(Started::address).toList();
        long t0 = System.nanoTime();
        // Registered on the service thread, so that close() finds it even if the caller stopped waiting.
        onServiceRun(() -> {
            MemberNode node = MemberNode.start(ClusterSettings.member(name, ClusterSettings.LOOPBACK, 0, join), 1,
                    line -> { });
            started.add(new Embedded(node, Duration.ofNanos(System.nanoTime() - t0)));
        });
    }

    /**
     * Starts member JVMs: the first alone (so that exactly one member founds the cluster), then the rest at once,
     * each told the first one's address, while the client connects to the first.
     */
    private void startJvms(int members) {
        // Made once per machine and class path (a few seconds), it makes every later member start about 3× sooner.
        memberJvm().aotCache().prepare(Duration.ofSeconds(120));
        startJvm(List.of(startJvmProcess(List.of())));
        String first = started.getFirst().address();
        List<Pending> rest = new ArrayList<>();
        for (int i = 1; i < members; i++) {
            rest.add(startJvmProcess(List.of(first)));
        }
        connectClient(List.of(first));
        startJvm(rest);
        for (Started s : started) {
            awaitMember(s.uuid(), true);
        }
    }

    /** A member JVM starting, and the ready line it will print. */
    private record Pending(ChildProcess process, long t0) {
    }

    private Pending startJvmProcess(List<String> join) {
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("--cluster", name, "--bind", ClusterSettings.LOOPBACK,
                "--port", "0", "--workers", "1", "--quiet", "true"));
        if (!join.isEmpty()) {
            args.addAll(List.of("--join", String.join(",", join)));
        }
        // In the kernel a member JVM's lines (its view of members joining and leaving, its goodbye) go to the
        // kernel log, written by the relay thread, which is the service's; memberLog() keeps them everywhere.
        boolean toKernelLog = Host.current() != Host.STANDALONE;
        ChildProcess process = onService(() -> {
            ChildProcess child = memberJvm().args(args.toArray(String[]::new))
                    .onOutputLine(toKernelLog ? line -> System.err.println("member JVM: " + line) : line -> { })
                    .start();
            launched.add(child);
            return child;
        });
        return new Pending(process, t0);
    }

    /**
     * A member JVM: on the helpers jar and Hazelcast's alone when both are jars, with the AOT cache of its own
     * ({@link MemberTraining}).
     */
    private static ChildJvm memberJvm() {
        return ChildJvm.of(MemberMain.class).classPath(ClusterSettings.memberClassPath())
                .jvmOptions(ClusterSettings.MEMBER_JVM_OPTIONS).aotTraining(MemberTraining.class);
    }

    private void startJvm(List<Pending> pending) {
        for (Pending p : pending) {
            Optional<String> ready = p.process().awaitLine(l -> l.startsWith(MemberMain.READY + " "),
                    MEMBER_START_TIMEOUT);
            if (ready.isEmpty()) {
                String why = p.process().isAlive() ? "no ready line within " + MEMBER_START_TIMEOUT.toSeconds() + " s"
                        : "it ended with exit code " + p.process().exitCode();
                p.process().close();
                throw new IllegalStateException("a member JVM did not start: " + why);
            }
            String[] parts = ready.get().split(" ");
            started.add(new Jvm(p.process(), parts[1], parts[2], Duration.ofNanos(System.nanoTime() - p.t0())));
        }
    }

    private void connectClient(List<String> addresses) {
        try {
            onServiceRun(() -> client = HazelcastClient.newHazelcastClient(
                    ClusterSettings.client(name, addresses, CONNECT_SECONDS)));
        } catch (IllegalStateException e) {
            throw new IllegalStateException("no member of cluster '" + name + "' answered at " + addresses
                    + " within " + CONNECT_SECONDS + " s");
        }
        onServiceRun(() -> {
            client.getCluster().addMembershipListener(new MembershipListener() {
                @Override
                public void memberAdded(MembershipEvent e) {
                    event(describe(e));
                }

                @Override
                public void memberRemoved(MembershipEvent e) {
                    event(describe(e));
                }
            });
            // Filtered on the members: a claim changes the entry too, and would otherwise be sent here.
            client.<String, Job>getMap(Broker.JOBS).addEntryListener(
                    (EntryUpdatedListener<String, Job>) e -> arrived(e.getValue().result()), new Job.Done(), true);
        });
    }

    private void arrived(JobResult result) {
        if (result != null) {
            Consumer<JobResult> c = waiting.get(result.key());
            if (c != null) {
                c.accept(result);
            }
        }
    }

    private void event(String line) {
        events.add(line);
        unprinted.add(line);
    }

    /**
     * Runs a Hazelcast call on the service thread; Hazelcast's own exceptions (a cluster out of reach, a closed
     * client) come out as one line.
     */
    private <T> T onService(java.util.function.Supplier<T> action) {
        try {
            return service.call(action);
        } catch (com.hazelcast.core.HazelcastException e) {
            String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new IllegalStateException("cluster " + name + ": " + e.getClass().getSimpleName()
                    + (message.isBlank() ? "" : ": " + message));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("cluster " + name + " is closed");
        }
    }

    private void onServiceRun(Runnable action) {
        onService(() -> {
            action.run();
            return null;
        });
    }

    /** "member 127.0.0.1:41234 joined: 3 members". */
    static String describe(MembershipEvent e) {
        return "member " + address(e.getMember()) + (e.getEventType() == MembershipEvent.MEMBER_ADDED ? " joined" : " left")
                + ": " + e.getMembers().size() + " member" + (e.getMembers().size() == 1 ? "" : "s");
    }

    /** "host:port" of a member. */
    static String address(Member m) {
        return m.getAddress().getHost() + ":" + m.getAddress().getPort();
    }

    /** Prints the member events seen since the last call, one line each, from the calling thread. */
    private void printEvents() {
        for (String line; (line = unprinted.poll()) != null; ) {
            out.accept(line);
        }
    }

    /** Every member event seen so far, one line each. */
    public List<String> events() {
        return List.copyOf(events);
    }

    /** "2 embedded members", "3 member JVMs", "an existing cluster of 2 members". */
    public String description() {
        int n = size();
        return switch (kind) {
            case EMBEDDED -> n + " embedded member" + (n == 1 ? "" : "s");
            case JVMS -> n + " member JVM" + (n == 1 ? "" : "s");
            case REMOTE -> "an existing cluster of " + n + " member" + (n == 1 ? "" : "s");
        };
    }

    /** How many members the cluster has now. */
    public int size() {
        return onService(() -> client.getCluster().getMembers().size());
    }

    /** The members now, oldest first, with how this notebook started them. */
    public List<ClusterMember> members() {
        List<Member> now = onService(() -> List.copyOf(client.getCluster().getMembers()));
        List<ClusterMember> result = new ArrayList<>();
        for (Member m : now) {
            String uuid = m.getUuid().toString();
            int number = 0;
            String where = "remote";
            Duration start = Duration.ZERO;
            for (int i = 0; i < started.size(); i++) {
                Started s = started.get(i);
                if (s.uuid().equals(uuid)) {
                    number = i + 1;
                    start = s.start();
                    where = s instanceof Jvm j ? "JVM pid " + j.process().pid() : "embedded";
                }
            }
            result.add(new ClusterMember(number, address(m), uuid, where, start));
        }
        return result;
    }

    /** The members this object started, in order, whether or not they still run. */
    public List<ClusterMember> startedMembers() {
        List<ClusterMember> result = new ArrayList<>();
        for (int i = 0; i < started.size(); i++) {
            Started s = started.get(i);
            String where = s instanceof Jvm j ? "JVM pid " + j.process().pid() : "embedded";
            result.add(new ClusterMember(i + 1, s.address(), s.uuid(), where, s.start()));
        }
        return result;
    }

    /** Starts one more member (embedded or JVM, like the others) and returns it once it has joined. */
    public ClusterMember addMember() {
        checkStartedHere("add a member");
        if (kind == Kind.JVMS) {
            String first = members().getFirst().address();
            startJvm(List.of(startJvmProcess(List.of(first))));
        } else {
            startEmbedded();
        }
        Started s = started.getLast();
        awaitMember(s.uuid(), true);
        printEvents();
        return startedMembers().getLast();
    }

    /**
     * Kills member {@code number} (1 = the first started) without warning: SIGKILL for a member JVM, a
     * terminate (no goodbye, no hand-over) for an embedded one. Returns once the client has seen it leave.
     */
    public void killMember(int number) {
        Started s = startedMember(number);
        kill(s);
        awaitMember(s.uuid(), false);
        printEvents();
    }

    /** Stops member {@code number} cleanly: it finishes its job, hands its data over, and leaves. */
    public void stopMember(int number) {
        Started s = startedMember(number);
        stop(s);
        awaitMember(s.uuid(), false);
        printEvents();
    }

    private Started startedMember(int number) {
        checkStartedHere("stop a member");
        if (number < 1 || number > started.size()) {
            throw new IllegalArgumentException("members are numbered 1 to " + started.size() + ", got " + number);
        }
        return started.get(number - 1);
    }

    private void checkStartedHere(String what) {
        if (kind == Kind.REMOTE) {
            throw new IllegalStateException("this notebook did not start the cluster's members, so it cannot " + what
                    + ": do that on their machines (scripts/cluster-member.sh)");
        }
    }

    private void kill(Started s) {
        switch (s) {
            case Jvm j -> j.process().kill();
            case Embedded e -> onServiceRun(() -> e.node().terminate());
        }
    }

    private void stop(Started s) {
        awaitStopped(askToStop(List.of(s)), List.of(s));
    }

    /**
     * Stopping {@code members} cleanly, first half: the member JVMs are sent their stop line, all at once (each
     * says it is leaving, finishes its job, hands its data over and leaves). All at once, because a restart of
     * the kernel gives its services 2 s to close. Returns those asked.
     */
    private List<Jvm> askToStop(List<Started> members) {
        List<Jvm> asked = new ArrayList<>();
        for (Started s : members) {
            if (s instanceof Jvm j && j.process().isAlive()) {
                try {
                    j.process().send("stop");
                    asked.add(j);
                } catch (java.io.UncheckedIOException gone) {
                    // It has already ended.
                }
            }
        }
        return asked;
    }

    /**
     * Stopping {@code members} cleanly, second half: waits for the member JVMs {@code asked} to end (one that has
     * not ended 15 s after the call is killed, and an event says so), then closes the embedded members one after
     * another.
     */
    private void awaitStopped(List<Jvm> asked, List<Started> members) {
        long deadline = System.nanoTime() + MEMBER_STOP_TIMEOUT.toNanos();
        for (Jvm j : asked) {
            if (!j.process().waitFor(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())))) {
                j.process().close();
                event("member " + j.address() + " did not stop within " + MEMBER_STOP_TIMEOUT.toSeconds()
                        + " s: killed");
            }
        }
        for (Started s : members) {
            if (s instanceof Embedded e) {
                onServiceRun(() -> {
                    if (e.node().isRunning()) {
                        e.node().close();
                    }
                });
            }
        }
    }

    /**
     * What the member JVMs this object started printed, each line after its process id: their ready line, the
     * members they saw join and leave (whether {@code cleanly} or {@code without a goodbye}), their
     * {@code stopped} line; in the kernel these lines go to the kernel log as well.
     */
    public List<String> memberLog() {
        List<String> lines = new ArrayList<>();
        for (ChildProcess p : launched) {
            p.output().forEach(line -> lines.add(p.pid() + ": " + line));
        }
        return lines;
    }

    private void awaitMember(String uuid, boolean present) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            boolean there = onService(() -> client.getCluster().getMembers().stream()
                    .anyMatch(m -> m.getUuid().toString().equals(uuid)));
            if (there == present) {
                return;
            }
            pause(20);
        }
        throw new IllegalStateException("the client did not see member " + uuid + (present ? " join" : " leave")
                + " within 30 s");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    /**
     * Sends one task, like Celery's {@code task.delay(...)}: returns at once with a handle to its result.
     *
     * <p>The job goes to the member that owns its key ({@link Direct}). If one of that member's workers is free,
     * the job runs there at once, its entry written already held by that member, and its result, stored in the
     * entry, comes back as the answer; if not, that member puts the job in the queue, and the result comes through the job's
     * entry as for every queued job. If the call fails (the member died or left), the handle still completes:
     * the job is written and queued from here unless its entry is there already, in which case the sweep queues
     * it again if its holder is gone. A result that comes both ways completes the handle once.
     *
     * @throws IllegalArgumentException (one line) if members could not load the task's class
     */
    public <R extends Serializable> AsyncResult<R> delay(ClusterTask<R> task) {
        byte[] payload = TaskCodec.encode(task);
        String key = "d-" + UUID.randomUUID().toString().substring(0, 8);
        CompletableFuture<JobResult> stored = new CompletableFuture<>();
        Consumer<JobResult> deliver = stored::complete;
        waiting.put(key, deliver);
        // However the result comes (the call's answer, the entry's event, the handle's look-up), the entry goes
        // once the handle has it; a handle still waiting keeps its entry.
        stored.whenComplete((result, failed) -> waiting.remove(key, deliver));
        Job job = Job.waiting(key, task.getClass().getName(), payload);
        CompletableFuture<Void> answered = new CompletableFuture<>();
        unanswered.put(key, answered);
        var answer = (java.util.concurrent.CompletionStage<JobResult>) onService(() ->
                client.getExecutorService(Broker.DIRECT).submitToKeyOwner(new Direct(job), key));
        // Run by the thread that receives the answer: Hazelcast runs a callback given no executor (or an
        // ExecutionCallback) on a pool of its own, and that hand-off added 0.6 ms to the round trip here.
        answer.whenCompleteAsync((result, failed) -> {
            if (failed != null) {
                service.post(() -> {
                    enqueue(job, stored);
                    unanswered.remove(key);
                    answered.complete(null);
                });
                return;
            }
            if (result != null) {
                stored.complete(result);
            }
            unanswered.remove(key);
            answered.complete(null);
        }, Runnable::run);
        printEvents();
        return new AsyncResult<>(key, task.name(), stored, this);
    }

    /**
     * A job whose direct call failed: written waiting and queued, unless its entry is there already (written
     * by the member that had it, whose death the sweep sees); a result already stored completes the handle.
     */
    private void enqueue(Job job, CompletableFuture<JobResult> stored) {
        if (!waiting.containsKey(job.key())) {
            return;   // forgotten meanwhile, or its result already in the handle: not written back
        }
        try {
            Job there = client.<String, Job>getMap(Broker.JOBS).putIfAbsent(job.key(), job);
            if (there == null) {
                client.<Job>getQueue(Broker.QUEUE).offer(job.ticket());
            } else if (there.result() != null) {
                stored.complete(there.result());
            }
        } catch (RuntimeException e) {
            // The cluster is out of reach or closed: the handle looks the job up while it waits, and says so.
        }
    }

    /**
     * Removes job {@code key} with its results. A job whose direct call has not answered yet may have its entry
     * written after this removal (by the member that took it, or here if the call failed): it is removed again
     * once the call has answered.
     */
    void forget(String key) {
        waiting.remove(key);
        // Looked up before the removal: a call that answers after it may have had its entry written after it.
        CompletableFuture<?> call = unanswered.get(key);
        forget(java.util.Set.of(key));
        if (call != null) {
            call.whenComplete((ignored, failed) -> service.post(() -> removeQuietly(key)));
        }
    }

    private void removeQuietly(String key) {
        try {
            client.getMap(Broker.JOBS).delete(key);
        } catch (RuntimeException e) {
            // The cluster is out of reach or closed: nothing is left to remove.
        }
    }

    /** How many jobs a caller still waits for a result of (a batch's, or a handle's without its result yet). */
    int waitingCallers() {
        return waiting.size();
    }

    /** The stored result of job {@code key}, or null. */
    JobResult lookup(String key) {
        Job job = onService(() -> client.<String, Job>getMap(Broker.JOBS).get(key));
        return job == null ? null : job.result();
    }

    /** The address of the member that holds job {@code key} now, if one does. */
    Optional<String> holder(String key) {
        Job job = onService(() -> client.<String, Job>getMap(Broker.JOBS).get(key));
        return job == null || job.holder() == null ? Optional.empty() : Optional.of(job.attempts().getLast().address());
    }

    /** Checks the fixture's 20 {@link Primes#NUMBERS}. */
    public ClusterRun run() {
        return run(Primes.NUMBERS);
    }

    /** Checks {@code numbers}, one {@link PrimeCheck} job each. */
    public ClusterRun run(List<Long> numbers) {
        return batch(numbers).run();
    }

    /** A batch of prime checks to configure (faults to inject) and run. */
    public Batch batch(List<Long> numbers) {
        if (numbers == null || numbers.isEmpty()) {
            throw new IllegalArgumentException("nothing to check: the list of numbers is empty");
        }
        for (Long n : numbers) {
            if (n == null || n < 0) {
                throw new IllegalArgumentException("numbers to check must be non-negative, got " + n);
            }
        }
        return new Batch(List.copyOf(numbers));
    }

    /**
     * One batch of {@link PrimeCheck} jobs, with optional faults: a member killed the moment it takes a chosen
     * job, a member added after some results.
     */
    public final class Batch {
        private final List<Long> numbers;
        private long killOn = -1;
        private int addAfter = -1;

        private Batch(List<Long> numbers) {
            this.numbers = numbers;
        }

        /**
         * Kills (SIGKILL; terminate for an embedded member) the member that takes the job for {@code n}, as
         * soon as the client sees it take it: mid-job, for a job that runs longer than that takes to notice.
         */
        public Batch killingMemberOn(long n) {
            checkStartedHere("kill a member");
            if (!numbers.contains(n)) {
                throw new IllegalArgumentException(n + " is not one of the batch's numbers");
            }
            killOn = n;
            return this;
        }

        /** Starts one more member once {@code results} results have arrived; it takes jobs still queued. */
        public Batch addingMemberAfter(int results) {
            checkStartedHere("add a member");
            if (results < 0 || results >= numbers.size()) {
                throw new IllegalArgumentException("add the member after 0 to " + (numbers.size() - 1)
                        + " results, got " + results);
            }
            addAfter = results;
            return this;
        }

        /** Queues every job, waits for every result, and returns what happened. */
        public ClusterRun run() {
            return runBatch(this);
        }
    }

    private ClusterRun runBatch(Batch batch) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Long> numbers = batch.numbers;
        Map<String, Job> jobs = new LinkedHashMap<>();
        Map<String, Long> numberOf = new HashMap<>();
        for (int i = 0; i < numbers.size(); i++) {
            String key = run + "/" + String.format(Locale.ROOT, "%03d", i);
            PrimeCheck task = new PrimeCheck(numbers.get(i));
            jobs.put(key, Job.waiting(key, PrimeCheck.class.getName(), TaskCodec.encode(task)));
            numberOf.put(key, numbers.get(i));
        }
        BlockingQueue<JobResult> arrivals = new LinkedBlockingQueue<>();
        Map<String, JobResult> stored = new LinkedHashMap<>();
        jobs.keySet().forEach(k -> waiting.put(k, arrivals::add));
        int membersAtStart = size();
        String description = description();
        List<String> runEvents = new ArrayList<>();
        int eventsBefore = events.size();
        Runnable unwatch = () -> { };
        if (batch.killOn >= 0) {
            String target = jobs.entrySet().stream().filter(e -> numberOf.get(e.getKey()) == batch.killOn)
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            var killed = new java.util.concurrent.atomic.AtomicBoolean();
            // Every claim and release would be sent to the client as an event with the whole job: watched only
            // for this job, and only while a batch with a kill runs.
            EntryUpdatedListener<String, Job> watch = e -> {
                Job job = e.getValue();
                if (job != null && job.holder() != null && killed.compareAndSet(false, true)) {
                    started.stream().filter(s -> s.uuid().equals(job.holder())).findFirst().ifPresent(s -> {
                        kill(s);
                        event("killed member " + s.address() + " while it ran " + batch.killOn);
                    });
                }
            };
            UUID id = onService(() -> client.<String, Job>getMap(Broker.JOBS).addEntryListener(watch, target, true));
            unwatch = () -> onService(() -> client.getMap(Broker.JOBS).removeEntryListener(id));
        }
        long startNanos = Broker.epochNanos();
        long t0 = System.nanoTime();
        long last = t0;
        try {
            onServiceRun(() -> {
                client.<String, Job>getMap(Broker.JOBS).putAll(jobs);
                client.<Job>getQueue(Broker.QUEUE).addAll(jobs.values());
            });
            long deadline = t0 + BATCH_TIMEOUT.toNanos();
            boolean added = false;
            while (stored.size() < jobs.size()) {
                JobResult r = arrivals.poll(200, TimeUnit.MILLISECONDS);
                if (r == null) {
                    // An event can be missed while members change: look the missing results up directly.
                    List<String> missing = jobs.keySet().stream().filter(k -> !stored.containsKey(k)).toList();
                    onService(() -> client.<String, Job>getMap(Broker.JOBS).getAll(new java.util.HashSet<>(missing)))
                            .values().stream().map(Job::result).filter(java.util.Objects::nonNull)
                            .forEach(arrivals::add);
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no result for " + missing.size() + " of " + jobs.size()
                                + " jobs after " + BATCH_TIMEOUT.toMinutes() + " minutes; members now: " + members());
                    }
                } else if (stored.putIfAbsent(r.key(), r) == null) {
                    last = System.nanoTime();
                }
                printEvents();
                if (!added && batch.addAfter >= 0 && stored.size() >= batch.addAfter) {
                    added = true;
                    ClusterMember m = addMember();
                    event("added member " + m.address() + " after " + stored.size() + " results");
                    printEvents();
                }
            }
        } catch (InterruptedException | CancellationException e) {
            // Withdraw the jobs not taken yet (a member drops a job whose entry is gone); those running finish.
            Thread.interrupted();
            try {
                forget(jobs.keySet());
            } finally {
                Thread.currentThread().interrupt();
            }
            throw new CancellationException("batch interrupted: its jobs not yet taken were withdrawn");
        } finally {
            jobs.keySet().forEach(waiting::remove);
            if (isOpen()) {
                unwatch.run();
            }
        }
        Duration wall = Duration.ofNanos(last - t0);
        Map<String, Job> finished = onService(() -> client.<String, Job>getMap(Broker.JOBS).getAll(jobs.keySet()));
        List<ClusterRun.JobHistory> histories = histories(jobs.keySet(), numberOf, stored, finished);
        int storedKeys = (int) finished.values().stream().filter(j -> j.result() != null).count();
        forget(jobs.keySet());
        printEvents();
        runEvents.addAll(events.subList(eventsBefore, events.size()));
        List<PrimeResult> results = new ArrayList<>();
        stored.values().forEach(r -> {
            if (r.value() instanceof PrimeResult p) {
                results.add(p);
            }
        });
        return new ClusterRun(description, membersAtStart, numbers, results, histories, startNanos, wall, runEvents,
                storedKeys);
    }

    private static List<ClusterRun.JobHistory> histories(java.util.Set<String> keys, Map<String, Long> numberOf,
                                                         Map<String, JobResult> stored, Map<String, Job> jobs) {
        List<ClusterRun.JobHistory> histories = new ArrayList<>();
        for (String key : keys) {
            Job job = jobs.get(key);
            List<Attempt> attempts = job == null ? List.of() : job.attempts();
            List<JobResult> extra = job == null ? List.of() : job.duplicates();
            histories.add(new ClusterRun.JobHistory(numberOf.get(key), key, attempts, stored.get(key), extra));
        }
        return histories;
    }

    /** Removes a finished batch's entries, so that long-lived clusters do not fill up. */
    private void forget(java.util.Set<String> keys) {
        onServiceRun(() -> {
            IMap<String, Job> jobs = client.getMap(Broker.JOBS);
            List<CompletableFuture<?>> done = new ArrayList<>();
            for (String key : keys) {
                done.add(jobs.removeAsync(key).toCompletableFuture());
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).join();
        });
    }

    /**
     * Closes the client, then stops every member this object started, each cleanly (member JVMs all at once;
     * one that does not stop within 15 s is killed), and returns once the Hazelcast threads of this JVM's client
     * and members have ended (10 s at most). It finishes also when the calling thread was interrupted (an interrupted cell
     * closing in a {@code finally}), and keeps the interrupt. Idempotent; the kernel's {@code %stop} does the
     * same.
     */
    @Override
    public void close() {
        service.close();
        printEvents();
    }

    /** The Hazelcast cluster name: members and clients talk only to others of the same name. */
    public String clusterName() {
        return name;
    }

    /** The name of the cluster's service: {@code %threads} lists its threads under it, {@code %stop NAME} closes it. */
    public String serviceName() {
        return service.name();
    }

    /** Whether the cluster has not been closed, by {@link #close()} or by the kernel. */
    public boolean isOpen() {
        return service.isOpen();
    }

    /** The service's close action: runs once, on the closing thread, while the call thread still serves. */
    private void shutdown() {
        boolean interrupted = Thread.interrupted();
        List<String> prefixes = new ArrayList<>();
        try {
            // A start the caller stopped waiting for registers its member when it is done: let it finish.
            onServiceRun(() -> { });
            // Member JVMs begin to leave while the client shuts down: their goodbye and hand-over take longest.
            List<Started> members = started.reversed();
            List<Jvm> asked = askToStop(members);
            if (client != null) {
                prefixes.add("hz." + client.getName() + ".");
                onServiceRun(() -> client.shutdown());
            }
            for (Started s : started) {
                if (s instanceof Embedded e) {
                    prefixes.add("hz." + e.node().instance().getName() + ".");
                }
            }
            awaitStopped(asked, members);
            launched.forEach(ChildProcess::close);
        } finally {
            awaitThreadsEnded(prefixes);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Hazelcast ends some of its threads just after its shutdown returns. */
    private static void awaitThreadsEnded(List<String> prefixes) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (prefixes.stream().anyMatch(p -> t.getName().startsWith(p))) {
                try {
                    t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Cluster[" + service.name() + ": " + name + ", " + kind.name().toLowerCase(Locale.ROOT) + ", started " + started.size()
                + (seeds.isEmpty() ? "" : ", at " + seeds) + (isOpen() ? "" : ", closed") + "]";
    }
}
