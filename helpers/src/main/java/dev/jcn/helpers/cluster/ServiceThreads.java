package dev.jcn.helpers.cluster;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Where a cluster's long-lived threads come from: every Hazelcast call of a {@link Cluster} runs on one
 * service thread, so the threads Hazelcast starts (members' and the client's, dozens of them, for as long as
 * the cluster lives) descend from it and not from the notebook cell that happened to call.
 *
 * <pre>{@code
 * try (ServiceThreads service = new ServiceThreads("cluster")) {
 *     HazelcastInstance hz = service.call(() -> Hazelcast.newHazelcastInstance(config));
 * }
 * }</pre>
 *
 * <p>The kernel gives every thread that a cell starts the cell's mark, which its descendants inherit: it lists
 * them under the cell, interrupts them with the cell and routes their output to it. Service threads must not
 * carry it, so the service thread is started without inheriting inheritable thread-locals. The thread's
 * context class loader is the class path's, so Hazelcast resolves classes as a member JVM does.
 */
final class ServiceThreads implements AutoCloseable {

    private final ExecutorService executor;

    ServiceThreads(String service) {
        ClassLoader classPath = ServiceThreads.class.getClassLoader();
        executor = Executors.newSingleThreadExecutor(task -> {
            Thread t = Thread.ofPlatform().name(service + "-service").daemon(true)
                    .inheritInheritableThreadLocals(false).unstarted(task);
            t.setContextClassLoader(classPath);
            return t;
        });
    }

    /**
     * Runs {@code action} on the service thread and returns its result; its unchecked exceptions are rethrown
     * as they are. An interrupted caller stops waiting with a {@link CancellationException}, while the action
     * runs to its end: a member half started or a map half written would be worse than a late one, which
     * {@link Cluster#close()} still finds.
     */
    <T> T call(Supplier<T> action) {
        Future<T> future = executor.submit(action::get);
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Runs {@code action} on the service thread and waits for it. */
    void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Stops the service thread once the actions already handed to it are done. */
    @Override
    public void close() {
        executor.close();
    }
}
