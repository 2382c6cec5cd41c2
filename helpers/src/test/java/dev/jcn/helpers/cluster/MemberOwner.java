package dev.jcn.helpers.cluster;

import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * A JVM that starts member JVMs and then waits for ever, for a test to kill it: prints
 * {@code members PID PID ...} once they have joined.
 */
public final class MemberOwner {

    private MemberOwner() {
    }

    public static void main(String[] args) throws InterruptedException {
        Cluster cluster = Cluster.localJvms(Integer.parseInt(args[0]), line -> { });
        System.out.println("members " + cluster.startedMembers().stream()
                .map(m -> m.where().substring("JVM pid ".length())).collect(Collectors.joining(" ")));
        new CountDownLatch(1).await();
    }
}
