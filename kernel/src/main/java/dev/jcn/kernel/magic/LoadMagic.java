package dev.jcn.kernel.magic;

import dev.jcn.kernel.execution.ExecuteResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code %load FILE.jsh|FILE.java}: runs a file's content as if it were the cell.
 *
 * <pre>{@code
 * %load setup.jsh
 * }</pre>
 */
final class LoadMagic implements LineMagic {

    private final Path base;

    LoadMagic() {
        this(Path.of(""));
    }

    LoadMagic(Path base) {
        this.base = base;
    }

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String usage() {
        return "%load FILE.jsh|FILE.java  run a file's code as this cell";
    }

    @Override
    public ExecuteResult run(String arguments, MagicContext ctx) throws MagicException {
        if (arguments.isBlank()) {
            throw new MagicException("%load needs a file, e.g. %load setup.jsh");
        }
        if (!arguments.endsWith(".jsh") && !arguments.endsWith(".java")) {
            throw new MagicException("%load reads .jsh or .java files, not " + arguments);
        }
        Path file = base.resolve(arguments).toAbsolutePath().normalize();
        String code;
        try {
            code = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new MagicException("no such file: " + arguments);
        } catch (IOException e) {
            throw new MagicException("cannot read " + arguments + ": " + e.getMessage());
        }
        return ctx.execute(code);
    }
}
