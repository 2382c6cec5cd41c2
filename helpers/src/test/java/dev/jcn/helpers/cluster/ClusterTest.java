package dev.jcn.helpers.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.jcn.helpers.pool.PoolRun;
import dev.jcn.helpers.pool.Pools;
import dev.jcn.helpers.primes.PrimeResult;
import dev.jcn.helpers.primes.Primes;
import dev.jcn.helpers.process.ChildJvm;
import dev.jcn.helpers.process.ChildProcess;
import dev.jcn.helpers.testing.Capture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real Hazelcast members on loopback: embedded ones, member JVMs, and members started apart from the API. */
@Timeout(180)
class ClusterTest {

    private static final long BIGGEST = 9_999_999_999_999_917L;

    @AfterEach
    void nothingIsLeftBehind() {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && (!clusterThreads().isEmpty()
                || ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive))) {
            Thread.onSpinWait();
        }
        assertThat(clusterThreads()).as("Hazelcast and cluster threads after close").isEmpty();
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList())
                .as("member JVMs after close").isEmpty();
    }

    private static List<String> clusterThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("hz.") || n.startsWith("jcn-") || n.startsWith("cluster-service"))
                .sorted().toList();
    }

    @Test
    void embeddedMembersJoinAndStoreEveryResultOnce() {
        try (Capture out = new Capture().installAsStdout(); Cluster cluster = Cluster.embedded(2)) {
            assertThat(cluster.size()).isEqualTo(2);
            assertThat(cluster.members()).allSatisfy(m -> {
                assertThat(m.address()).startsWith("127.0.0.1:");
                assertThat(m.where()).isEqualTo("embedded");
            });
            ClusterRun run = cluster.run();
            assertThat(run.complete()).isTrue();
            assertThat(run.storedOnce()).isTrue();
            assertThat(Primes.problems(run.results())).isEmpty();
            assertThat(run.results()).hasSize(20);
            assertThat(run.toPoolRun().complete()).isTrue();
            assertThat(run.jobs()).allSatisfy(j -> assertThat(j.attempts()).isNotEmpty());
            assertThat(run.description()).isEqualTo("2 embedded members");
            // Hazelcast's own log lines stay out: what is printed is one line per member event.
            assertThat(out.text().lines().toList()).hasSize(2).allSatisfy(line -> assertThat(line)
                    .matches("member 127\\.0\\.0\\.1:\\d+ joined: [12] members? \\(embedded, started in [\\d.]+ s\\)"));
        }
    }

    @Test
    void aClosedClusterSaysSoInOneLine() {
        Cluster cluster = Cluster.embedded(1, line -> { });
        cluster.close();
        assertThatThrownBy(cluster::run).isInstanceOf(IllegalStateException.class).hasMessageEndingWith(" is closed");
    }

    @Test
    void delayReturnsAnAsyncResultAndRefusesATaskMembersCannotLoad() throws Exception {
        try (Cluster cluster = Cluster.embedded(1)) {
            AsyncResult<PrimeResult> r = cluster.delay(new PrimeCheck(7));
            assertThat(r.get(Duration.ofSeconds(30)).prime()).isTrue();
            assertThat(r.state()).isEqualTo("SUCCESS");
            r.forget();
            assertThat(r.state()).as("a forgotten job is neither stored nor held").isEqualTo("PENDING");

            ClusterTask<?> fromACell = CellLikeLoader.newTask();
            assertThatThrownBy(() -> cluster.delay(fromACell)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("task class " + CellTask.class.getName() + " is not on the class path")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void aMemberJvmKilledMidJobLosesNothingAndTheJobRunsAgainElsewhere() {
        try (Cluster cluster = Cluster.localJvms(2)) {
            assertThat(cluster.members()).allSatisfy(m -> assertThat(m.where()).startsWith("JVM pid "));
            List<Long> numbers = new ArrayList<>(Primes.NUMBERS);
            numbers.add(Primes.BIG_PRIME);
            ClusterRun run = cluster.batch(numbers).killingMemberOn(Primes.BIG_PRIME).run();
            assertThat(run.storedOnce()).isTrue();
            assertThat(run.complete()).isTrue();
            assertThat(Primes.problems(run.results().stream().filter(r -> r.n() != Primes.BIG_PRIME).toList())).isEmpty();
            assertThat(run.results()).hasSize(numbers.size());
            ClusterRun.JobHistory big = run.jobs().getLast();
            assertThat(big.n()).isEqualTo(Primes.BIG_PRIME);
            assertThat(big.attempts()).hasSize(2);
            assertThat(big.attempts().get(0).address()).isNotEqualTo(big.attempts().get(1).address());
            assertThat(big.stored().attempt()).isEqualTo(2);
            assertThat(big.attemptsDescription()).contains("#1 on " + big.attempts().get(0).address() + " (did not finish)");
            assertThat(run.ranTwice()).contains(big);
            assertThat(run.events()).anyMatch(e -> e.startsWith("killed member " + big.attempts().get(0).address()))
                    .anyMatch(e -> e.contains(" left: 1 member"));
            assertThat(cluster.size()).isEqualTo(1);
        }
    }

    @Test
    void aMemberJvmKilledWhileItRunsAJobSentDirectlyLosesNothingAndTheJobRunsAgainElsewhere() {
        try (Cluster cluster = Cluster.localJvms(2)) {
            List<String> addresses = cluster.startedMembers().stream().map(ClusterMember::address).toList();
            try (Look look = lookAt(cluster)) {
                // Both workers idle: the job goes to the owner of its key, which runs it at once, its entry held by
                // it from the start.
                AsyncResult<PrimeResult> r = cluster.delay(new PrimeCheck(Primes.BIG_PRIME));
                var owner = look.hz().getPartitionService().getPartition(r.id()).getOwner();
                String ownerAddress = owner.getAddress().getHost() + ":" + owner.getAddress().getPort();
                await("the job held by the owner of its key", () -> r.heldBy().isPresent());
                assertThat(r.heldBy()).contains(ownerAddress);
                assertThat(r.state()).isEqualTo("STARTED");
                cluster.killMember(addresses.indexOf(ownerAddress) + 1);
                JobResult stored = r.result(Duration.ofSeconds(120));
                assertThat(stored.succeeded()).isTrue();
                assertThat(stored.attempt()).as("the job ran again after its member was killed").isEqualTo(2);
                assertThat(stored.address()).isNotEqualTo(ownerAddress);
                Job job = look.hz().<String, Job>getMap(Broker.JOBS).get(r.id());
                assertThat(job.attempts()).hasSize(2);
                assertThat(job.attempts().getFirst().address()).isEqualTo(ownerAddress);
                assertThat(job.result()).as("the one stored result").isEqualTo(stored);
                assertThat(job.duplicates()).isEmpty();
                assertThat(job.holder()).isNull();
            }
        }
    }

    @Test
    void aMemberNeverRunsMoreTasksAtOnceThanItHasWorkersWhenDirectAndQueuedJobsArriveTogether() {
        Overlapping.MOST.set(0);
        try (Cluster cluster = Cluster.embedded(1, line -> { })) {
            // One member with one worker, three jobs at once, four times: the first of each three runs directly,
            // the others are queued by the member, and its worker, parked on the queue, takes one while the direct
            // one runs: it must wait for the slot.
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (int i = 0; i < 3; i++) {
                    results.add(cluster.delay(new Overlapping(50)));
                }
                for (AsyncResult<Integer> r : results) {
                    r.get(Duration.ofSeconds(60));
                }
            }
            for (AsyncResult<Integer> r : results) {
                assertThat(r.get(Duration.ofSeconds(60))).as("tasks running when %s started", r.id()).isEqualTo(1);
            }
            assertThat(Overlapping.MOST.get()).as("the most tasks the member ran at once").isEqualTo(1);
            try (Look look = lookAt(cluster)) {
                IMap<String, Job> jobs = look.hz().getMap(Broker.JOBS);
                List<Job> done = results.stream().map(r -> jobs.get(r.id())).toList();
                assertThat(done).as("jobs answered directly").anyMatch(Job::answered);
                assertThat(done).as("jobs that went through the queue").anyMatch(j -> !j.answered());
                assertThat(done).allSatisfy(j -> assertThat(j.attempts()).hasSize(1));
            }
        }
    }

    @Test
    void aJobForgottenRightAfterDelayLeavesNoEntryOnceItHasRun() {
        Overlapping.ENDED.set(0);
        try (Cluster cluster = Cluster.embedded(1, line -> { })) {
            // delay() returns before the member has the job: a forget() sent at once reaches the job's entry
            // before the member writes it (directly run, or queued because its one worker is busy).
            int jobs = 30;
            for (int i = 0; i < jobs; i++) {
                cluster.delay(new Overlapping(5)).forget();
            }
            await("every forgotten job has run", () -> Overlapping.ENDED.get() == jobs);
            try (Look look = lookAt(cluster)) {
                IMap<String, Job> entries = look.hz().getMap(Broker.JOBS);
                await("no forgotten job's entry is left (" + entries.keySet() + ")", () -> entries.isEmpty());
            }
        }
    }

    @Test
    void aDelayedJobsCallerEntryGoesOnceItsResultIsInAndCloseStillFailsACallerThatWaits() {
        try (Cluster cluster = Cluster.embedded(1, line -> { })) {
            // One worker, 40 jobs at once: some answered by their direct call, the others queued by the member
            // and heard of through their entry's event.
            List<AsyncResult<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(cluster.delay(new Overlapping(1)));
            }
            for (AsyncResult<Integer> r : results) {
                r.get(Duration.ofSeconds(60));
            }
            await("no caller entry left of 40 jobs with their results, none forgotten",
                    () -> cluster.waitingCallers() == 0);
            AsyncResult<Integer> slow = cluster.delay(new Overlapping(3_000));
            assertThat(cluster.waitingCallers()).as("the entry of a caller still waiting").isEqualTo(1);
            cluster.close();
            assertThatThrownBy(() -> slow.get(Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith(" is closed");
        }
    }

    @Test
    void aJobWhoseDirectCallFailsIsQueuedByTheClientAndRunsOnce() {
        Overlapping.ENDED.set(0);
        try (Cluster cluster = Cluster.embedded(1, line -> { })) {
            // Where a direct call looks for the member's node there is something else: the call fails on the
            // member (a ClassCastException) before it runs the job or writes its entry, as when the member dies
            // first; the client then writes the entry and queues the job, and the member's worker takes it.
            HazelcastInstance member = Hazelcast.getAllHazelcastInstances().stream()
                    .filter(h -> h.getConfig().getClusterName().equals(cluster.clusterName())).findFirst().orElseThrow();
            member.getUserContext().put(MemberNode.CONTEXT_KEY, "no node");
            AsyncResult<Integer> r = cluster.delay(new Overlapping(5));
            JobResult stored = r.result(Duration.ofSeconds(30));
            assertThat(stored.succeeded()).isTrue();
            assertThat(stored.attempt()).isEqualTo(1);
            try (Look look = lookAt(cluster)) {
                Job job = look.hz().<String, Job>getMap(Broker.JOBS).get(r.id());
                assertThat(job.answered()).as("answered by its direct call").isFalse();
                assertThat(job.attempts()).as("the job's runs").hasSize(1);
                assertThat(job.result()).isEqualTo(stored);
                assertThat(job.duplicates()).isEmpty();
            }
            assertThat(Overlapping.ENDED.get()).as("runs of the task").isEqualTo(1);
        }
    }

    @Test
    void aMemberJvmKilledWhileIdleLosesNothing() {
        try (Cluster cluster = Cluster.localJvms(3)) {
            List<AsyncResult<PrimeResult>> running = List.of(cluster.delay(new PrimeCheck(Primes.BIG_PRIME)),
                    cluster.delay(new PrimeCheck(Primes.BIG_PRIME)));
            Set<String> busy = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (busy.size() < 2 && System.nanoTime() < deadline) {
                busy.clear();
                running.forEach(r -> r.heldBy().ifPresent(busy::add));
            }
            assertThat(busy).as("members running the two jobs").hasSize(2);
            ClusterMember idle = cluster.startedMembers().stream().filter(m -> !busy.contains(m.address()))
                    .findFirst().orElseThrow();
            // The idle member still owns partitions: queue, job entries and results live on every member.
            cluster.killMember(idle.number());
            assertThat(cluster.size()).isEqualTo(2);
            for (AsyncResult<PrimeResult> r : running) {
                assertThat(r.get(Duration.ofSeconds(120)).prime()).isTrue();
                JobResult stored = r.result(Duration.ofSeconds(1));
                assertThat(stored.attempt()).as("the job ran once").isEqualTo(1);
                assertThat(busy).contains(stored.address());
            }
        }
    }

    @Test
    void aClaimThatFindsNoEntryYetIsSentAgainAndHoldsTheJobOnceTheEntryIsWritten() {
        HazelcastInstance member = Hazelcast.newHazelcastInstance(
                ClusterSettings.member(ClusterSettings.uniqueName(), ClusterSettings.LOOPBACK, 0, List.of()));
        IMap<String, Job> jobs = member.getMap(Broker.JOBS);
        ClaimWatch watch = new ClaimWatch(jobs, "member-a", "127.0.0.1:1", 1);
        try {
            Job job = Job.waiting("late/1", PrimeCheck.class.getName(), TaskCodec.encode(new PrimeCheck(7)));
            // A worker took the job from the queue before the client's write of its entry arrived.
            ClaimWatch.Running running = watch.started(0, job, Broker.epochNanos());
            await("a claim that found no entry", () -> running.missed() > 0);
            jobs.set(job.key(), job);
            await("the job held by the worker's member", () -> "member-a".equals(jobs.get(job.key()).holder()));
            assertThat(jobs.get(job.key()).attempts()).singleElement()
                    .satisfies(a -> assertThat(a.address()).isEqualTo("127.0.0.1:1"));
            assertThat(watch.ended(0, running).join()).as("the claim's answer, once the task ends").isTrue();
        } finally {
            watch.stop();
            member.shutdown();
        }
    }

    @Test
    void jobsWaitingInTheQueueSurviveTheQueueOwnersKillRightAfterTheyAreSent() {
        try (Cluster cluster = Cluster.localJvms(2)) {
            List<String> addresses = cluster.startedMembers().stream().map(ClusterMember::address).toList();
            // Looked up first: the queue's partition stays where it is while no member comes or goes.
            String queueOwner;
            try (Look look = lookAt(cluster)) {
                var owner = look.hz().getPartitionService().getPartition(Broker.QUEUE).getOwner();
                queueOwner = owner.getAddress().getHost() + ":" + owner.getAddress().getPort();
            }
            List<AsyncResult<PrimeResult>> busy = List.of(cluster.delay(new PrimeCheck(Primes.BIG_PRIME)),
                    cluster.delay(new PrimeCheck(Primes.BIG_PRIME)));
            busy.forEach(r -> r.startedOn(Duration.ofSeconds(60)));
            // Both workers are busy for seconds: these wait in the queue, whose backup is sent without waiting
            // for its answer.
            List<AsyncResult<PrimeResult>> waiting = new ArrayList<>();
            for (long n = 1; n <= 5; n++) {
                waiting.add(cluster.delay(new PrimeCheck(n)));
            }
            String holders = busy.stream().map(r -> r.id() + " " + r.state() + " on " + r.heldBy().orElse("nobody"))
                    .toList().toString();
            assertThat(busy).as("the big jobs before the kill: %s", holders)
                    .allSatisfy(r -> assertThat(r.state()).isEqualTo("STARTED"));
            assertThat(waiting).allSatisfy(r -> assertThat(r.state())
                    .as("queued job %s while the big jobs run: %s", r.id(), holders).isEqualTo("PENDING"));
            cluster.killMember(addresses.indexOf(queueOwner) + 1);
            for (AsyncResult<PrimeResult> r : waiting) {
                JobResult stored = r.result(Duration.ofSeconds(120));
                assertThat(stored.succeeded()).isTrue();
                assertThat(stored.attempt()).as("a queued job ran once").isEqualTo(1);
                assertThat(stored.address()).isNotEqualTo(queueOwner);
            }
            for (AsyncResult<PrimeResult> r : busy) {
                assertThat(r.get(Duration.ofSeconds(120)).prime()).isTrue();
            }
        }
    }

    @Test
    void aMemberJvmStoppedIsSeenLeavingCleanlyAndClosingStopsEveryMemberWithAGoodbye() {
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        Cluster cluster = Cluster.localJvms(3, events::add);
        List<String> pids;
        String third;
        try {
            assertThat(cluster.run(List.of(7L, 9L, 11L)).complete()).isTrue();
            pids = cluster.startedMembers().stream().map(m -> m.where().substring("JVM pid ".length())).toList();
            third = cluster.startedMembers().get(2).address();
            cluster.stopMember(3);
            List<String> seen = List.of(pids.get(0) + ": member " + third + " left: 2 members, cleanly",
                    pids.get(1) + ": member " + third + " left: 2 members, cleanly");
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!cluster.memberLog().containsAll(seen) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(cluster.memberLog()).as("what the other two members saw").containsAll(seen);
        } finally {
            cluster.close();
        }
        List<String> log = cluster.memberLog();
        for (int i = 0; i < 3; i++) {
            String pid = pids.get(i);
            assertThat(log).as("member %d's goodbye", i + 1).anyMatch(l -> l.startsWith(pid + ": stopped 127.0.0.1:"));
        }
        assertThat(log).noneMatch(l -> l.contains("without a goodbye"));
        assertThat(events).noneMatch(e -> e.contains("did not stop"));
    }

    @Test
    void aMemberKilledIsSeenLeavingWithoutAGoodbye() {
        try (Cluster cluster = Cluster.localJvms(2, line -> { })) {
            String second = cluster.startedMembers().get(1).address();
            cluster.killMember(2);
            String first = cluster.startedMembers().get(0).where().substring("JVM pid ".length());
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String expected = first + ": member " + second + " left: 1 member, without a goodbye";
            while (!cluster.memberLog().contains(expected) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(cluster.memberLog()).contains(expected);
        }
    }

    @Test
    void memberJvmsEndWhenTheJvmThatStartedThemIsKilled() throws Exception {
        ChildProcess owner = ChildJvm.of(MemberOwner.class).args("2").onOutputLine(l -> { }).start();
        List<ProcessHandle> members = new ArrayList<>();
        try {
            String line = owner.awaitLine(l -> l.startsWith("members "), Duration.ofSeconds(120))
                    .orElseThrow(() -> new AssertionError("the owner started no members: " + owner.output()));
            for (String pid : line.substring("members ".length()).split(" ")) {
                members.add(ProcessHandle.of(Long.parseLong(pid)).orElseThrow());
            }
            assertThat(members).hasSize(2).allSatisfy(m -> assertThat(m.info().commandLine().orElse(""))
                    .contains(MemberMain.class.getName()));
            owner.handle().destroyForcibly();   // SIGKILL to the owner alone, not to its children
            for (ProcessHandle m : members) {
                m.onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(members).noneMatch(ProcessHandle::isAlive);
        } finally {
            members.forEach(ProcessHandle::destroyForcibly);
            owner.close();
        }
    }

    @Test
    void aMemberAddedMidRunTakesQueuedJobs() {
        try (Cluster cluster = Cluster.localJvms(1)) {
            // Jobs of a few seconds each, so that some are still queued once a new member JVM has started.
            List<Long> numbers = java.util.Collections.nCopies(4, Primes.BIG_PRIME);
            ClusterRun run = cluster.batch(numbers).addingMemberAfter(0).run();
            assertThat(run.complete()).isTrue();
            assertThat(run.results()).allSatisfy(r -> assertThat(r.prime()).isTrue());
            Set<String> addresses = run.jobs().stream().map(j -> j.stored().address()).collect(Collectors.toSet());
            assertThat(addresses).as("members that stored results").hasSize(2);
            assertThat(cluster.size()).isEqualTo(2);
        }
    }

    @Test
    void anExistingClusterByAddressRunsTheSameBatchAndReportsWhatItCannotLoad() throws Exception {
        String name = ClusterSettings.uniqueName();
        List<ChildProcess> members = new ArrayList<>();
        try {
            // Members as a user would start them on other machines: their own JVMs, on the class path of the
            // helpers and Hazelcast only (not this test's classes).
            members.add(member(name, List.of()));
            String first = readyAddress(members.getFirst());
            members.add(member(name, List.of(first)));
            String second = readyAddress(members.getLast());
            try (Cluster cluster = Cluster.connect(name, List.of(first, second))) {
                assertThat(cluster.size()).isEqualTo(2);
                assertThat(cluster.members()).allSatisfy(m -> assertThat(m.where()).isEqualTo("remote"));
                assertThat(cluster.run().complete()).isTrue();
                AsyncResult<?> r = cluster.delay(new CellTask());
                assertThatThrownBy(() -> r.get(Duration.ofSeconds(30))).isInstanceOf(IllegalStateException.class)
                        .hasMessageMatching("member 127\\.0\\.0\\.1:\\d+ cannot load task class "
                                + CellTask.class.getName().replace(".", "\\.").replace("$", "\\$")
                                + ": it is not on the member's class path");
                assertThatThrownBy(() -> cluster.killMember(1)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("did not start");
            }
        } finally {
            members.forEach(ChildProcess::close);
        }
    }

    @Test
    void theClusterIsASweepModelWhoseRunTimesTheBatchOfItsMemberJvms() {
        PoolRun run = Pools.of("cluster", 1).run(List.of(7L, 9L, 11L));
        assertThat(run.model()).isEqualTo("cluster");
        assertThat(run.complete()).isTrue();
        assertThat(run.workersDescription()).isEqualTo("1 cluster member");
        assertThat(run.timeline()).hasSize(3).allSatisfy(span -> assertThat(span.worker()).isZero());
    }

    @Test
    void memberOptionsAreCheckedWithOneLineEach() {
        var o = MemberMain.Options.parse(new String[]{"--port", "5702", "--join", "127.0.0.1:5701, 127.0.0.1:5703",
                "--workers", "2"});
        assertThat(o.port()).isEqualTo(5702);
        assertThat(o.join()).containsExactly("127.0.0.1:5701", "127.0.0.1:5703");
        assertThat(o.cluster()).isEqualTo("jcn");
        assertThat(o.bind()).isEqualTo("127.0.0.1");
        assertThatThrownBy(() -> MemberMain.Options.parse(new String[]{"--port", "70000"}))
                .hasMessage("--port takes a number from 0 to 65535, got 70000");
        assertThatThrownBy(() -> MemberMain.Options.parse(new String[]{"--colour", "red"}))
                .hasMessageStartingWith("unknown option --colour; the options are");
        assertThatThrownBy(() -> MemberMain.Options.parse(new String[]{"--join"}))
                .hasMessage("option --join needs a value");
    }

    @Test
    void jobEntriesHaveABackupThatCallersWaitForAndTheQueueOneThatNobodyWaitsFor() {
        var member = ClusterSettings.member("jcn-x", "127.0.0.1", 0, List.of());
        var jobs = member.getMapConfig(Broker.JOBS);
        assertThat(jobs.getBackupCount()).as("job entries: backups waited for").isEqualTo(1);
        assertThat(jobs.getAsyncBackupCount()).isZero();
        var queue = member.getQueueConfig(Broker.QUEUE);
        assertThat(queue.getBackupCount()).as("the queue: no backup waited for").isZero();
        assertThat(queue.getAsyncBackupCount()).isEqualTo(1);
    }

    @Test
    void clientsHearOfBackupsThroughThePartitionsOwner() {
        // A member drops a backup's acknowledgement meant for a client not yet registered with it, and the client
        // then waits 5 s for it: a job sent just after member JVMs started was written 5 s late.
        assertThat(ClusterSettings.client("jcn-x", List.of("127.0.0.1:5701"), 5).isBackupAckToClientEnabled()).isFalse();
    }

    @Test
    void membersAndClientsAreConfiguredNotToPhoneHomeNorToLookForPeersByMulticast() {
        var member = ClusterSettings.member("jcn-x", "127.0.0.1", 0, List.of());
        assertThat(member.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(member.getProperty("hazelcast.socket.bind.any")).isEqualTo("false");
        assertThat(member.getNetworkConfig().getJoin().getMulticastConfig().isEnabled()).isFalse();
        assertThat(member.getNetworkConfig().getJoin().getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(member.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        var client = ClusterSettings.client("jcn-x", List.of("127.0.0.1:5701"), 5);
        assertThat(client.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
        assertThat(client.getNetworkConfig().getAutoDetectionConfig().isEnabled()).isFalse();
    }

    @Test
    void aClientFindsNoMemberAtAWrongAddressInBoundedTimeWithOneLine() {
        assertThatThrownBy(() -> Cluster.connect(ClusterSettings.uniqueName(), List.of("127.0.0.1:9")))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("no member of cluster")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> Cluster.connect("not an address")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membersListenOnLoopbackOnlyAndConnectNowhereElse() throws IOException {
        try (Cluster cluster = Cluster.localJvms(1)) {
            cluster.run(List.of(7L, 9L));
            List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid()));
            ProcessHandle.current().descendants().forEach(p -> pids.add(p.pid()));
            List<String> sockets = new ArrayList<>();
            for (long pid : pids) {
                sockets.addAll(tcpSockets(pid));
            }
            String loopback = "(127\\.0\\.0\\.1|0:0:0:0:0:0:0:1)";
            String unconnected = "(0\\.0\\.0\\.0|0:0:0:0:0:0:0:0):0";
            assertThat(sockets).isNotEmpty().allSatisfy(s -> assertThat(s).matches(
                    "local " + loopback + ":\\d+ remote (" + loopback + ":\\d+|" + unconnected + ")"));
        }
    }

    /** A client of the tests' own, shut down on close. */
    private record Look(HazelcastInstance hz) implements AutoCloseable {
        @Override
        public void close() {
            hz.shutdown();
        }
    }

    /** A client of its own to every member {@code cluster} started, to look at the jobs' entries and partitions. */
    private static Look lookAt(Cluster cluster) {
        List<String> addresses = cluster.startedMembers().stream().map(ClusterMember::address).toList();
        return new Look(HazelcastClient.newHazelcastClient(ClusterSettings.client(cluster.clusterName(), addresses, 15)));
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.onSpinWait();
        }
    }

    /** "local ADDRESS:PORT remote ADDRESS:PORT" of every TCP socket process {@code pid} has open (Linux). */
    private static List<String> tcpSockets(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException | UncheckedIOException gone) {
                    // A descriptor closed while listing.
                }
            });
        }
        List<String> sockets = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/net/" + table)).stream().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                if (inodes.contains(f[9])) {
                    sockets.add("local " + ProcNet.address(f[1]) + " remote " + ProcNet.address(f[2]));
                }
            }
        }
        return sockets;
    }

    private static ChildProcess member(String name, List<String> join) {
        String withoutTests = String.join(java.io.File.pathSeparator, java.util.Arrays.stream(
                ChildJvm.classPath().split(java.io.File.pathSeparator)).filter(e -> !e.contains("test-classes")).toList());
        List<String> args = new ArrayList<>(List.of("--cluster", name, "--port", "0", "--quiet", "true"));
        if (!join.isEmpty()) {
            args.addAll(List.of("--join", String.join(",", join)));
        }
        return ChildJvm.of(MemberMain.class).classPath(withoutTests).jvmOptions(ClusterSettings.MEMBER_JVM_OPTIONS)
                .args(args.toArray(String[]::new)).onOutputLine(l -> { }).start();
    }

    private static String readyAddress(ChildProcess member) {
        String line = member.awaitLine(l -> l.startsWith("ready "), Duration.ofSeconds(90))
                .orElseThrow(() -> new AssertionError("the member printed no ready line"));
        return line.split(" ")[1];
    }
}
