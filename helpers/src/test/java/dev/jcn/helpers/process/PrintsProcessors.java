package dev.jcn.helpers.process;

/** A child main for tests: prints how many processors its JVM sees. */
public final class PrintsProcessors {

    private PrintsProcessors() {
    }

    public static void main(String[] args) {
        System.out.println("processors " + Runtime.getRuntime().availableProcessors());
    }
}
