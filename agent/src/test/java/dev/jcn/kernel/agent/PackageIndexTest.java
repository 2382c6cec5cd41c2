package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageIndexTest {

    @TempDir
    Path dir;

    /** A jar of the classes compiled from {@code sources} (class name to source). */
    private Path jar(String name, Map<String, String> sources) throws IOException {
        Path src = Files.createDirectories(dir.resolve(name + "-src"));
        Path classes = Files.createDirectories(dir.resolve(name + "-classes"));
        List<String> args = new ArrayList<>(List.of("-d", classes.toString()));
        for (Map.Entry<String, String> s : sources.entrySet()) {
            Path file = src.resolve(s.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, s.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                var walk = Files.walk(classes)) {
            for (Path c : walk.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new ZipEntry(classes.relativize(c).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(c));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static String greeter(String pkg, String cls, String word) {
        return "package " + pkg + "; public class " + cls + " { public String hi() { return \"" + word + "\"; } }";
    }

    @Test
    void anEntryIsInThePackageOfItsFolderVersionedOrNot() {
        assertThat(PackageIndex.packageOf("a/b/C.class")).isEqualTo("a.b");
        assertThat(PackageIndex.packageOf("META-INF/versions/21/a/b/C.class")).isEqualTo("a.b");
        assertThat(PackageIndex.packageOf("Top.class")).isEmpty();
    }

    @Test
    void aJarChangedSinceItWasIndexedIsNotKnown() throws IOException {
        Path a = jar("a.jar", Map.of("a.A", greeter("a", "A", "a")));
        Path index = dir.resolve("packages.idx");
        PackageIndex.write(index, List.of(a, dir.resolve("missing.jar"), dir));
        assertThat(PackageIndex.read(index).packages(a)).containsExactly("a");

        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 2000));
        assertThat(PackageIndex.read(index).packages(a)).isNull();
        assertThat(PackageIndex.read(dir.resolve("none.idx")).isEmpty()).isTrue();
    }

    @Test
    void aPackageIsListedOnlyInTheJarsTheIndexNamesForIt() throws IOException {
        Path x = jar("x.jar", Map.of("p.X", greeter("p", "X", "x")));
        Path y = jar("y.jar", Map.of("p.Y", greeter("p", "Y", "y")));
        // an index that says y.jar holds q alone: were y.jar asked for p, Y would be listed
        Path index = dir.resolve("packages.idx");
        List<String> lines = new ArrayList<>(List.of("jcn package index 2"));
        for (Path jar : List.of(x, y)) {
            lines.add(jar.toAbsolutePath() + "\t" + Files.size(jar) + "\t" + Files.getLastModifiedTime(jar).toMillis() + "\t"
                    + (jar.equals(x) ? "p" : "q") + "\t");
        }
        Files.write(index, lines, StandardCharsets.UTF_8);

        assertThat(classesOf(PackageIndex.read(index), List.of(x, y), "p")).containsExactly("p.X");
        assertThat(classesOf(PackageIndex.read(dir.resolve("none.idx")), List.of(x, y), "p")).containsExactly("p.X", "p.Y");
    }

    /** A jar of {@code entries} (name to text). */
    private Path rawJar(String name, Map<String, String> entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void serviceProvidersAreLookedForOnlyInTheJarsTheIndexNamesForThemAndInUnknownOnes() throws IOException {
        String plugin = "META-INF/services/com.sun.source.util.Plugin";
        Path named = rawJar("named.jar", Map.of(plugin, "a.Named\n"));
        Path quiet = rawJar("quiet.jar", Map.of(plugin, "a.Quiet\n", "a/Quiet.txt", "q"));
        Path unknown = rawJar("unknown.jar", Map.of(plugin, "a.Unknown\n"));
        Path index = dir.resolve("packages.idx");
        PackageIndex.write(index, List.of(named, quiet));
        assertThat(PackageIndex.read(index).services(named)).containsExactly("com.sun.source.util.Plugin");
        // an index that says quiet.jar names no service: were it asked, its provider would be found
        List<String> lines = new ArrayList<>(Files.readAllLines(index, StandardCharsets.UTF_8));
        lines.replaceAll(l -> l.startsWith(quiet.toAbsolutePath().toString()) ? l.substring(0, l.lastIndexOf('\t') + 1) : l);
        Files.write(index, lines, StandardCharsets.UTF_8);

        StandardJavaFileManager std = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, StandardCharsets.UTF_8);
        std.setLocationFromPaths(StandardLocation.CLASS_PATH, List.of(named, quiet, unknown));
        try (PackageIndexedFileManager fm = new PackageIndexedFileManager(std, PackageIndex.read(index));
                URLClassLoader loader = (URLClassLoader) fm.getClassLoader(StandardLocation.CLASS_PATH)) {
            List<String> providers = new ArrayList<>();
            for (URL u : Collections.list(loader.getResources(plugin))) {
                try (var in = u.openStream()) {
                    providers.add(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
                }
            }
            assertThat(providers).containsExactly("a.Named", "a.Unknown");
            // everything else is found in every jar, as before
            assertThat(loader.getResource("a/Quiet.txt")).isNotNull();
        }
    }

    private static List<String> classesOf(PackageIndex index, List<Path> classPath, String pkg) throws IOException {
        StandardJavaFileManager std = ToolProvider.getSystemJavaCompiler().getStandardFileManager(null, null, StandardCharsets.UTF_8);
        std.setLocationFromPaths(StandardLocation.CLASS_PATH, classPath);
        try (PackageIndexedFileManager fm = new PackageIndexedFileManager(std, index)) {
            List<String> names = new ArrayList<>();
            for (JavaFileObject f : fm.list(StandardLocation.CLASS_PATH, pkg, Set.of(JavaFileObject.Kind.CLASS), false)) {
                names.add(fm.inferBinaryName(StandardLocation.CLASS_PATH, f));
            }
            return names;
        }
    }

    @Test
    void cellsSeeEveryJarIndexedChangedUnknownOrAddedLater() throws IOException {
        Path indexed = jar("indexed.jar", Map.of("a.A", greeter("a", "A", "a")));
        Path changed = jar("changed.jar", Map.of("b.B", greeter("b", "B", "b")));
        Path index = dir.resolve("packages.idx");
        PackageIndex.write(index, List.of(indexed, changed));
        // rebuilt with one more package after the index was written
        Files.delete(changed);
        Files.delete(dir.resolve("changed.jar-src/b/B.java"));
        changed = jar("changed.jar", Map.of("b.B", greeter("b", "B", "b"), "b2.B2", greeter("b2", "B2", "b2")));
        Path unknown = jar("unknown.jar", Map.of("c.C", greeter("c", "C", "c")));
        PackageIndex packages = PackageIndex.read(index);

        try (JShell shell = JShell.builder().executionEngine("local")
                .fileManager(fm -> new PackageIndexedFileManager(fm, packages)).build()) {
            shell.addToClasspath(indexed.toString());
            shell.addToClasspath(changed.toString());
            assertThat(value(shell, "new a.A().hi() + new b.B().hi() + new b2.B2().hi()")).isEqualTo("\"abb2\"");
            shell.addToClasspath(unknown.toString());
            assertThat(value(shell, "new c.C().hi()")).isEqualTo("\"c\"");
            assertThat(shell.eval("import a.*;").getFirst().status()).isEqualTo(Snippet.Status.VALID);
            assertThat(value(shell, "new A().hi()")).isEqualTo("\"a\"");
        }
    }

    private static String value(JShell shell, String code) {
        SnippetEvent e = shell.eval(code).getFirst();
        assertThat(e.status()).as(shell.diagnostics(e.snippet()).map(d -> d.getMessage(null)).toList().toString())
                .isEqualTo(Snippet.Status.VALID);
        return e.value();
    }
}
