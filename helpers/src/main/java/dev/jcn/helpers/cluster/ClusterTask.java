package dev.jcn.helpers.cluster;

import java.io.Serializable;

/**
 * A named job type that cluster members run, like a Celery task: the notebook sends its serialised fields, and
 * a member that has the class on its class path rebuilds and runs it. The helpers ship {@link PrimeCheck}.
 *
 * <pre>{@code
 * try (Cluster cluster = Cluster.embedded(2)) {
 *     AsyncResult<PrimeResult> r = cluster.delay(new PrimeCheck(9_999_999_999_999_917L));
 *     r.get(Duration.ofSeconds(30)).prime();      // true
 * }
 * }</pre>
 *
 * <p>Members load a task's class from their own class path, so a class defined in a notebook cell (it lives in
 * JShell's in-memory class loader) cannot run on them: {@link Cluster#delay} refuses it with a one-line reason.
 * A task's name is its class's simple name.
 *
 * @param <R> the result type, serialisable so that it can travel back
 */
public interface ClusterTask<R extends Serializable> extends Serializable {

    /** Runs on a member; an exception becomes the job's stored failure (it is not retried). */
    R call() throws Exception;

    /** The name reports show. */
    default String name() {
        return getClass().getSimpleName();
    }
}
