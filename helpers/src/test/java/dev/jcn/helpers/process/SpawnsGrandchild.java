package dev.jcn.helpers.process;

/** A child main for tests: starts a sleeping grandchild JVM, prints its pid, then waits forever. */
public final class SpawnsGrandchild {

    private SpawnsGrandchild() {
    }

    public static void main(String[] args) throws InterruptedException {
        ChildProcess grandchild = ChildJvm.start(Sleeper.class, "120");
        System.out.println("grandchild " + grandchild.pid());
        new java.util.concurrent.CountDownLatch(1).await();
    }
}
