package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ClasspathChange;
import dev.jcn.kernel.execution.ExecuteResult;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code %classpath PATH|GLOB ...}: adds jars and class directories to the user code's class path.
 * Relative paths start at the kernel's working directory (the notebook's folder).
 *
 * <pre>{@code
 * %classpath lib/*.jar target/classes
 * }</pre>
 */
final class ClasspathMagic implements LineMagic {

    private final Path base;

    ClasspathMagic() {
        this(Path.of(""));
    }

    ClasspathMagic(Path base) {
        this.base = base;
    }

    @Override
    public String name() {
        return "classpath";
    }

    @Override
    public String usage() {
        return "%classpath PATH|GLOB ...  add jars or class folders to the class path";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (arguments.isBlank()) {
            throw new MagicException("%classpath needs a jar, folder or glob, e.g. %classpath lib/*.jar");
        }
        List<Path> entries = PathGlobs.expand(arguments, base);
        ClasspathChange change = ctx.interpreter().addToClasspath(entries);
        StringBuilder b = new StringBuilder("Added " + change.added().size() + (change.added().size() == 1 ? " entry" : " entries")
                + " to the class path\n");
        change.notes().forEach(n -> b.append("Note: ").append(n).append('\n'));
        ctx.print(b.toString());
        return new ExecuteResult.Ok(null);
    }
}
