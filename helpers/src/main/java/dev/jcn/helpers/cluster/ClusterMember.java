package dev.jcn.helpers.cluster;

import java.time.Duration;
import java.util.Locale;

/**
 * A member as a {@link Cluster} sees it.
 *
 * @param number  1, 2, 3, ... in the order this notebook started its members; 0 for a member it did not start
 * @param address "host:port"
 * @param uuid    Hazelcast's id of the member
 * @param where   "embedded", "JVM pid 1234" or "remote"
 * @param start   how long it took to start and join (embedded: the call; a JVM: process start to its
 *                {@code ready} line), zero for a member this notebook did not start
 */
public record ClusterMember(int number, String address, String uuid, String where, Duration start) {

    /** "#2 127.0.0.1:41234 (JVM pid 1234, started in 1.52 s)". */
    @Override
    public String toString() {
        String started = start.isZero() ? "" : String.format(Locale.ROOT, ", started in %.2f s", start.toNanos() / 1e9);
        return (number > 0 ? "#" + number + " " : "") + address + " (" + where + started + ")";
    }
}
