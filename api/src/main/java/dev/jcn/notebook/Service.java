package dev.jcn.notebook;

import dev.jcn.notebook.spi.Host;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Long-lived background work that belongs to no cell: an embedded cluster member, a server, a pool
 * that many cells share. Its threads are not tied to the cell that happened to start it.
 *
 * <pre>{@code
 * var member = Service.start("member-1", () -> Hazelcast.newHazelcastInstance(config), HazelcastInstance::shutdown);
 * HazelcastInstance hz = member.value();
 * var workers = Executors.newFixedThreadPool(4, member.threadFactory());   // its threads are the service's too
 * ...
 * member.close();   // or %stop member-1, or %stop, or restart the kernel
 * }</pre>
 *
 * <p>In the java-concurrency kernel a service's threads are treated differently from a cell's:
 * <ul>
 *   <li>Interrupting a cell, the one that started the service or any later one, neither interrupts
 *       them nor stops them by force.</li>
 *   <li>What they write to {@code System.out} and {@code System.err}, and their uncaught exceptions,
 *       go to the kernel log, each line tagged with the service's name, and never into a cell: a
 *       service outlives every cell, so its output belongs to none, and a notebook's output must not
 *       depend on when a member happened to log.</li>
 *   <li>{@code %threads} lists them under the service's name.</li>
 *   <li>{@code %stop} (everything) and {@code %stop NAME} close the service, and so do a restart and
 *       a shutdown of the kernel: the close action runs once, before any thread left over is stopped
 *       by force.</li>
 * </ul>
 * Outside the kernel a service is a named value with a close action, and nothing more.
 *
 * <p>Which threads belong to a service: those created (constructed) while {@code start},
 * {@link #run}, {@link #call} or the close action run, those made by {@link #threadFactory()}, and
 * every thread such a thread creates. A thread that a cell's own code creates outside of these belongs
 * to the cell, even when it works for the service; give such pools {@link #threadFactory()}.
 *
 * <p>Names are unique among open services: starting a second service with the name of an open one
 * fails, so that re-running a cell does not start a second member unnoticed.
 *
 * @param <T> the type of what {@code start} made, e.g. the cluster member
 */
public final class Service<T> implements AutoCloseable {

    private static final Map<String, Service<?>> OPEN = new LinkedHashMap<>();

    private final String name;
    private final Consumer<? super T> onClose;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile T value;

    private Service(String name, Consumer<? super T> onClose) {
        this.name = name;
        this.onClose = onClose;
    }

    /**
     * Starts a service: runs {@code start} in the service's scope (threads it creates are the
     * service's), registers {@code close} as what ends it, and returns the open service.
     *
     * @param name a name unique among open services, shown by {@code %threads} and used by {@code %stop NAME}
     * @param start makes the service's value, e.g. starts a server; an exception from it is thrown here
     *     and leaves no open service
     * @param close ends the service given its value; runs once, in the service's scope
     * @throws IllegalArgumentException when the name is blank or has a line break
     * @throws IllegalStateException when a service of that name is open
     */
    public static <T> Service<T> start(String name, Callable<? extends T> start, Consumer<? super T> close) throws Exception {
        if (name == null || name.isBlank() || name.lines().count() > 1) {
            throw new IllegalArgumentException("a service needs a one-line name, got \"" + name + "\"");
        }
        if (start == null || close == null) {
            throw new IllegalArgumentException("a service needs a start and a close action");
        }
        Service<T> service = new Service<>(name.strip(), close);
        synchronized (OPEN) {
            Service<?> other = OPEN.get(service.name);
            if (other != null) {
                throw new IllegalStateException("a service named \"" + service.name + "\" is already running; close it first:"
                        + " %stop " + service.name + ", or close() on the Service that start returned");
            }
            OPEN.put(service.name, service);
        }
        try {
            service.value = service.call(start);
        } catch (Exception | Error e) {
            service.closing.set(true);
            service.forget();
            throw e;
        }
        return service;
    }

    /** The open services, in the order they were started. */
    public static List<Service<?>> all() {
        synchronized (OPEN) {
            return List.copyOf(OPEN.values());
        }
    }

    /** The open service called {@code name}. */
    public static Optional<Service<?>> named(String name) {
        synchronized (OPEN) {
            return Optional.ofNullable(OPEN.get(name == null ? null : name.strip()));
        }
    }

    /** The service's name. */
    public String name() {
        return name;
    }

    /** What {@code start} made. */
    public T value() {
        return value;
    }

    /** Whether the service has not been closed. */
    public boolean isOpen() {
        return !closing.get();
    }

    /** Runs {@code code} on the calling thread in the service's scope: threads it creates are the service's. */
    public <R> R call(Callable<R> code) throws Exception {
        return Host.current().inService(this, code);
    }

    /** Runs {@code code} on the calling thread in the service's scope. */
    public void run(Runnable code) {
        try {
            call(() -> {
                code.run();
                return null;
            });
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A factory of platform threads named {@code NAME-1}, {@code NAME-2}, ... that belong to the
     * service, whichever thread asks for them.
     */
    public ThreadFactory threadFactory() {
        return threadFactory(Thread.ofPlatform().name(name + "-", 1).factory());
    }

    /** The threads of {@code base}, made so that they belong to the service. */
    public ThreadFactory threadFactory(ThreadFactory base) {
        return task -> {
            Thread[] made = new Thread[1];
            run(() -> made[0] = base.newThread(task));
            return made[0];
        };
    }

    /**
     * Ends the service: runs the close action once, in the service's scope, and forgets the name.
     * Later calls do nothing. An exception from the close action is thrown here; the service counts as
     * closed all the same.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            run(() -> onClose.accept(value));
        } finally {
            forget();
        }
    }

    private void forget() {
        synchronized (OPEN) {
            OPEN.remove(name, this);
        }
    }

    @Override
    public String toString() {
        return "Service[" + name + (isOpen() ? "" : ", closed") + "]";
    }
}
