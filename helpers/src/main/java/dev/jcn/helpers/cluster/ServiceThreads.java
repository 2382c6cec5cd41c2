package dev.jcn.helpers.cluster;

import dev.jcn.notebook.Service;

import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A cluster as a {@link Service} of the notebook: every Hazelcast call of a {@link Cluster} runs on the
 * service's one call thread, so the threads Hazelcast starts (members' and the client's, dozens of them, for
 * as long as the cluster lives) belong to the service and not to the notebook cell that happened to call.
 *
 * <pre>{@code
 * ServiceThreads service = ServiceThreads.start("cluster", () -> shutDownEverything());
 * HazelcastInstance hz = service.call(() -> Hazelcast.newHazelcastInstance(config));
 * service.close();     // or %stop cluster, %stop, a restart: runs the close action once
 * }</pre>
 *
 * <p>In the notebook's kernel that means: interrupting a cell does not reach those threads, their output goes
 * to the kernel log, {@code %threads} lists them under the service's name, and {@code %stop}, a restart and a
 * shutdown run the close action before any thread left over is stopped by force. The call thread's context
 * class loader is the class path's, so Hazelcast resolves classes as a member JVM does.
 */
final class ServiceThreads implements AutoCloseable {

    private final Service<ThreadPoolExecutor> service;

    private ServiceThreads(Service<ThreadPoolExecutor> service) {
        this.service = service;
    }

    /**
     * Starts the service under the first free name of {@code base}, {@code base-2}, {@code base-3}, ...;
     * {@code closeAction} runs once when it is closed, by {@link #close()} or by the kernel, with the call
     * thread still serving, which stops after it.
     */
    static ServiceThreads start(String base, Runnable closeAction) {
        ClassLoader classPath = ServiceThreads.class.getClassLoader();
        for (int n = 1; ; n++) {
            String name = n == 1 ? base : base + "-" + n;
            if (Service.named(name).isPresent()) {
                continue;
            }
            try {
                return new ServiceThreads(Service.start(name, () -> {
                    ThreadPoolExecutor calls = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                            new LinkedBlockingQueue<>(), task -> {
                                Thread t = Thread.ofPlatform().name(name + "-calls").daemon(true).unstarted(task);
                                t.setContextClassLoader(classPath);
                                return t;
                            });
                    // Made now, inside the service's start, so that the thread is the service's.
                    calls.prestartAllCoreThreads();
                    return calls;
                }, calls -> {
                    try {
                        closeAction.run();
                    } finally {
                        calls.close();
                    }
                }));
            } catch (IllegalStateException taken) {
                if (Service.named(name).isEmpty()) {
                    throw taken;
                }
                // Another thread started a service of this name a moment ago: try the next name.
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The service's name, as {@code %threads} shows it and {@code %stop NAME} takes it. */
    String name() {
        return service.name();
    }

    /** Whether the service has not been closed yet. */
    boolean isOpen() {
        return service.isOpen();
    }

    /**
     * Runs {@code action} on the call thread and returns its result; its unchecked exceptions are rethrown as
     * they are. An interrupted caller stops waiting with a {@link CancellationException}, while the action
     * runs to its end: a member half started or a map half written would be worse than a late one, which
     * {@link Cluster#close()} still finds.
     */
    <T> T call(Supplier<T> action) {
        Future<T> future = service.value().submit(action::get);
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

    /** Runs {@code action} on the call thread and waits for it. */
    void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Hands {@code action} to the call thread without waiting for it; nothing runs once the service is closed. */
    void post(Runnable action) {
        try {
            service.value().execute(action);
        } catch (java.util.concurrent.RejectedExecutionException | IllegalStateException closed) {
            // Closed: what it would have done does not matter any more.
        }
    }

    /** Closes the service: its close action runs (once, whoever asks first), then the call thread ends. */
    @Override
    public void close() {
        service.close();
    }
}
