package dev.jcn.helpers.cluster;

/**
 * A task class that members started on the helpers' class path alone do not have, as a class defined in a
 * notebook cell; {@link CellLikeLoader} also defines it in a class loader of its own, as JShell does.
 */
public record CellTask() implements ClusterTask<String> {
    @Override
    public String call() {
        return "ran";
    }
}
