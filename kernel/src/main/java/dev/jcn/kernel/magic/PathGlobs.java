package dev.jcn.kernel.magic;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands {@code %classpath} arguments: paths and globs ({@code lib/*.jar}, {@code deps/**}),
 * relative to a base directory, {@code ~} meaning the home directory. A glob keeps the jars and
 * directories it matches.
 *
 * <pre>{@code
 * List<Path> jars = PathGlobs.expand("lib/*.jar target/classes", Path.of("."));
 * }</pre>
 */
final class PathGlobs {

    private PathGlobs() {}

    /** Every path named by {@code arguments} (separated by spaces or the path separator), in order. */
    static List<Path> expand(String arguments, Path base) throws MagicException {
        List<Path> out = new ArrayList<>();
        for (String word : arguments.split("[\\s" + File.pathSeparator + "]+")) {
            if (!word.isEmpty()) {
                out.addAll(expandOne(word, base));
            }
        }
        return out;
    }

    private static List<Path> expandOne(String word, Path base) throws MagicException {
        String path = word.equals("~") || word.startsWith("~/")
                ? System.getProperty("user.home") + word.substring(1)
                : word;
        if (!isGlob(path)) {
            Path p = base.resolve(path).toAbsolutePath().normalize();
            if (!Files.exists(p)) {
                throw new MagicException("no such file or directory: " + word);
            }
            return List.of(p);
        }
        Path absolute = base.resolve(path).toAbsolutePath();
        Path root = absolute.getRoot();
        Path dir = root;
        int depth = 0;
        boolean deep = false;
        for (Path segment : root.relativize(absolute)) {
            String s = segment.toString();
            if (depth == 0 && !isGlob(s)) {
                dir = dir.resolve(s);
            } else {
                depth++;
                deep |= s.contains("**");
            }
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + absolute.normalize());
        if (!Files.isDirectory(dir)) {
            throw new MagicException("no such directory: " + dir + " (in " + word + ")");
        }
        try (Stream<Path> walk = Files.walk(dir, deep ? Integer.MAX_VALUE : depth)) {
            List<Path> hits = walk.filter(matcher::matches)
                    .filter(p -> Files.isDirectory(p) || p.toString().endsWith(".jar"))
                    .sorted()
                    .toList();
            if (hits.isEmpty()) {
                throw new MagicException("no jar or directory matches " + word);
            }
            return hits;
        } catch (IOException e) {
            throw new MagicException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static boolean isGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }
}
