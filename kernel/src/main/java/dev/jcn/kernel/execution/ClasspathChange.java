package dev.jcn.kernel.execution;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Interpreter#addToClasspath} did: the entries cells now have, and a line for each
 * requested jar that was left out or that shadows a library of the helpers, saying why.
 */
public record ClasspathChange(List<Path> added, List<String> notes) {

    public ClasspathChange {
        added = List.copyOf(added);
        notes = List.copyOf(notes);
    }
}
