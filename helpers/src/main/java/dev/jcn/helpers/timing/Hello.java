package dev.jcn.helpers.timing;

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
        System.out.println("hello from pid " + ProcessHandle.current().pid());
    }
}
