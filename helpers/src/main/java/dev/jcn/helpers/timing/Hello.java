package dev.jcn.helpers.timing;

import dev.jcn.helpers.process.ChildMain;

/**
 * The smallest child program: prints one line at once. Used to time child JVM start-up.
 *
 * <pre>{@code
 * ChildJvm.start(Hello.class).waitFor(Duration.ofSeconds(5));   // prints "hello from pid 1234"
 * }</pre>
 */
public final class Hello {

    private Hello() {
    }

    /** Prints one line. */
    public static void main(String[] args) {
        ChildMain.watchParent();
        // No string concatenation: its first use bootstraps method handles, which would be timed too.
        System.out.print("hello from pid ");
        System.out.println(ProcessHandle.current().pid());
    }
}
