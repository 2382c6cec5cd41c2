package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ClasspathChange;
import dev.jcn.kernel.execution.ExecuteResult;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code %maven GROUP:ARTIFACT:VERSION ...}: downloads artifacts and their runtime dependencies
 * from Maven Central and adds them to the user code's class path. Another version of a library the
 * helpers expose (XChart, Tablesaw, ...) is not added; a note says which version cells get and why.
 * The added artifacts' sources jars follow in the background, for their javadoc.
 *
 * <pre>{@code
 * %maven org.apache.commons:commons-math3:3.6.1
 * }</pre>
 */
final class MavenMagic implements LineMagic {

    @Override
    public String name() {
        return "maven";
    }

    @Override
    public String usage() {
        return "%maven GROUP:ARTIFACT:VERSION ...  add Maven Central artifacts with their dependencies";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (arguments.isBlank()) {
            throw new MagicException("%maven needs coordinates, e.g. %maven org.apache.commons:commons-math3:3.6.1");
        }
        List<String> coordinates = Arrays.asList(arguments.strip().split("\\s+"));
        for (String c : coordinates) {
            MavenResolver.artifact(c);
        }
        MavenResolver resolver = new MavenResolver();
        List<Path> jars = resolver.resolve(coordinates);
        ClasspathChange change = ctx.interpreter().addToClasspath(jars);
        List<Path> added = change.added();
        // javadoc for completion and inspection; the cell does not wait for it
        Thread.ofVirtual().name("maven-sources").start(() -> resolver.fetchSources(added));
        StringBuilder b = new StringBuilder("Added " + added.size() + " jar" + (added.size() == 1 ? "" : "s") + " to the class path")
                .append(added.isEmpty() ? "\n" : ":\n");
        added.forEach(j -> b.append("  ").append(j.getFileName()).append('\n'));
        change.notes().forEach(n -> b.append("Note: ").append(n).append('\n'));
        ctx.print(b.toString());
        return new ExecuteResult.Ok(null);
    }
}
