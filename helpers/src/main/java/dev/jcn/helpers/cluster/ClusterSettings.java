package dev.jcn.helpers.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.jcn.helpers.process.ChildJvm;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * How the helpers configure Hazelcast members and clients: TCP join to listed addresses (no multicast, no
 * cloud auto-detection), no phone home, sockets bound to one interface (loopback unless told otherwise),
 * Hazelcast's log lines kept out of the output ({@link QuietLogging}), and fewer service threads than the
 * defaults, which are sized for servers.
 *
 * <pre>{@code
 * Config member = ClusterSettings.member("jcn-3f2a", "127.0.0.1", 0, List.of("127.0.0.1:41234"));
 * ClientConfig client = ClusterSettings.client("jcn-3f2a", List.of("127.0.0.1:41234"));
 * }</pre>
 */
public final class ClusterSettings {

    /** The cluster name the member script and {@link Cluster#connect} use unless told otherwise. */
    public static final String DEFAULT_NAME = "jcn";

    /** The port the member script listens on unless told otherwise: Hazelcast's usual one. */
    public static final int DEFAULT_PORT = 5701;

    /** The interface members bind to unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";

    /**
     * JVM options a member JVM gets: a small heap, and the access to JDK internals Hazelcast asks for (without
     * it, it logs a warning and uses slower paths). Both compilers stay on: members run the prime jobs that
     * notebook 08 sets beside the process pool's workers, and C1 code alone runs the prime loop 4–9 % slower
     * ({@link dev.jcn.helpers.process.ChildJvm#FAST_START_OPTIONS}); it would spare the members' JIT threads
     * while Hazelcast's code is still being compiled (helpers/BENCHMARKS.md), a cost of the first minutes.
     */
    public static final List<String> MEMBER_JVM_OPTIONS = List.of("-Xmx160m", "-Xss512k",
            "--sun-misc-unsafe-memory-access=allow", "--add-modules=java.se",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.management/sun.management=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED");

    /** Properties every member and client gets: no phone home, Hazelcast's own logging off. */
    private static final Map<String, String> COMMON = Map.of("hazelcast.phone.home.enabled", "false",
            "hazelcast.logging.type", "none", "hazelcast.logging.emoji.enabled", "false");

    private static final Map<String, String> MEMBER_PROPERTIES = with(COMMON, Map.ofEntries(
            // Sized for 2 cores and a few dozen jobs, not for a server: fewer threads and partitions start sooner.
            Map.entry("hazelcast.partition.count", "31"),
            Map.entry("hazelcast.io.thread.count", "1"),
            Map.entry("hazelcast.operation.thread.count", "2"),
            Map.entry("hazelcast.operation.generic.thread.count", "1"),
            Map.entry("hazelcast.operation.response.thread.count", "1"),
            Map.entry("hazelcast.event.thread.count", "1"),
            Map.entry("hazelcast.clientengine.thread.count", "2"),
            Map.entry("hazelcast.clientengine.blocking.thread.count", "2"),
            Map.entry("hazelcast.clientengine.query.thread.count", "1"),
            Map.entry("hazelcast.mc.executor.thread.count", "1"),
            Map.entry("hazelcast.health.monitoring.level", "OFF"),
            Map.entry("hazelcast.metrics.enabled", "false"),
            // The first member does not wait for others; a member killed with kill -9 is noticed through its
            // closed connections at once, one that stops answering after 10 s of silence instead of 60.
            Map.entry("hazelcast.wait.seconds.before.join", "0"),
            Map.entry("hazelcast.max.wait.seconds.before.join", "0"),
            Map.entry("hazelcast.heartbeat.interval.seconds", "1"),
            Map.entry("hazelcast.max.no.heartbeat.seconds", "10"),
            // Members are closed by the helpers (or by the member script's own hook), in order.
            Map.entry("hazelcast.shutdownhook.enabled", "false"),
            Map.entry("hazelcast.socket.bind.any", "false")));

    private static final Map<String, String> CLIENT_PROPERTIES = with(COMMON, Map.of(
            "hazelcast.client.event.thread.count", "1",
            "hazelcast.client.response.thread.count", "1",
            "hazelcast.client.io.input.thread.count", "1",
            "hazelcast.client.io.output.thread.count", "1",
            "hazelcast.client.statistics.enabled", "false"));

    private ClusterSettings() {
    }

    private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
        Map<String, String> both = new java.util.HashMap<>(a);
        both.putAll(b);
        return Map.copyOf(both);
    }

    /**
     * The class path of member JVMs: the helpers jar and Hazelcast's jar when both are jars (a shorter class
     * path is checked sooner against the AOT cache at each start), else this JVM's class path.
     */
    public static String memberClassPath() {
        String helpers = ChildJvm.helpersClassPath();
        try {
            var source = com.hazelcast.core.Hazelcast.class.getProtectionDomain().getCodeSource();
            java.nio.file.Path hazelcast = java.nio.file.Path.of(source.getLocation().toURI());
            if (!helpers.equals(ChildJvm.classPath()) && hazelcast.toString().endsWith(".jar")) {
                return helpers + java.io.File.pathSeparator + hazelcast;
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // An unusual code source: members get the whole class path.
        }
        return ChildJvm.classPath();
    }

    /** A cluster name no other cluster on this machine uses, so that two notebooks never join each other. */
    public static String uniqueName() {
        return DEFAULT_NAME + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A member's configuration.
     *
     * @param name      the cluster name; only members and clients with the same name talk to each other
     * @param bind      the interface address to listen on ({@value #LOOPBACK} keeps the member off the network)
     * @param port      the port, or 0 for any free port
     * @param join      addresses ("host:port") of members to join; empty for the first member
     */
    public static Config member(String name, String bind, int port, List<String> join) {
        QuietLogging.install();
        Config config = new Config();
        config.setClusterName(name);
        MEMBER_PROPERTIES.forEach(config::setProperty);
        config.getMetricsConfig().setEnabled(false);
        config.getJetConfig().setEnabled(false);
        // The queue's backup is sent without waiting for its acknowledgement: a worker on the queue's owner has
        // its job one network round trip sooner (a poll with a synchronous backup waits for the backup's answer
        // from the other member). The jobs map, whose entries keep their synchronous backup, is the broker's
        // record: a job whose queued copy died with the queue's owner before its backup had it is still in the
        // map, waiting, and the oldest member's sweep puts it back on the queue (Broker).
        config.getQueueConfig(Broker.QUEUE).setBackupCount(0).setAsyncBackupCount(1);
        JobSerialization.register(config.getSerializationConfig());
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bind);
        JoinConfig joining = network.getJoin();
        joining.getMulticastConfig().setEnabled(false);
        joining.getAutoDetectionConfig().setEnabled(false);
        joining.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(List.copyOf(join));
        return config;
    }

    /**
     * A client's configuration: it connects to {@code addresses} and gives up after {@code connectSeconds}
     * instead of retrying for ever.
     */
    public static ClientConfig client(String name, List<String> addresses, int connectSeconds) {
        QuietLogging.install();
        ClientConfig config = new ClientConfig();
        config.setClusterName(name);
        CLIENT_PROPERTIES.forEach(config::setProperty);
        config.getMetricsConfig().setEnabled(false);
        JobSerialization.register(config.getSerializationConfig());
        // Every client call of the helpers is safe to repeat (a key queued twice is dropped by the member that
        // finds its job taken), so calls cut off by a member's death are sent again instead of failing.
        config.getNetworkConfig().setAddresses(List.copyOf(addresses)).setConnectionTimeout(2000)
                .setRedoOperation(true);
        config.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        // A backup's acknowledgement comes through the partition's owner, not straight from the backup's member:
        // a member drops an acknowledgement for a client that has not yet registered with it (a client connects
        // to the members it did not start with in the background), and the client then waits out its backup
        // timeout, 5 s. Seen here: a job's write right after a cluster of member JVMs started took 5.02 s.
        config.setBackupAckToClientEnabled(false);
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(connectSeconds * 1000L).setMaxBackoffMillis(1000);
        return config;
    }
}
