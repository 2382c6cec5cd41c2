package dev.jcn.kernel.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import dev.jcn.kernel.wire.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellSessionTest {

    @TempDir
    Path dir;

    private Path jar(String name, String... entries) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (String e : entries) {
                out.putNextEntry(new ZipEntry(e));
                out.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void helperPackagesAreFoundInJarsAndDirectories() throws IOException {
        Path jar = jar("helpers.jar", "dev/jcn/helpers/primes/Primes.class", "dev/jcn/helpers/primes/Primes$1.class",
                "dev/jcn/helpers/pool/Pool.class", "dev/jcn/helpers/package-info.class", "org/other/X.class");
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("dev/jcn/helpers/timing"));
        Files.createFile(classes.resolve("dev/jcn/helpers/timing/Stopwatch.class"));
        String cp = jar + File.pathSeparator + classes + File.pathSeparator + dir.resolve("missing.jar");
        assertThat(ShellSession.helperPackages(cp, PackageIndex.read(dir.resolve("no-index"))))
                .containsExactly("dev.jcn.helpers.pool", "dev.jcn.helpers.primes", "dev.jcn.helpers.timing");
    }

    @Test
    void helperPackagesSkipTheJarsTheIndexKnowsHoldNone() throws IOException {
        // the index says "no helpers" of a jar that has some: they are not found, so that jar was not opened
        Path listedWithout = jar("library.jar", "dev/jcn/helpers/pool/Pool.class", "org/other/X.class");
        Path listedWith = jar("helpers.jar", "dev/jcn/helpers/primes/Primes.class", "dev/jcn/helpers/package-info.class");
        Path unlisted = jar("added.jar", "dev/jcn/helpers/timing/Stopwatch.class");
        Path index = dir.resolve("packages.idx");
        Files.writeString(index, "jcn package index 2\n"
                + line(listedWithout, "org.other") + line(listedWith, "dev.jcn.helpers dev.jcn.helpers.primes"));
        String cp = String.join(File.pathSeparator, listedWithout.toString(), listedWith.toString(), unlisted.toString());

        // a jar the index lists with helpers is read as before: a package holding only package-info is not one
        assertThat(ShellSession.helperPackages(cp, PackageIndex.read(index)))
                .containsExactly("dev.jcn.helpers.primes", "dev.jcn.helpers.timing");
    }

    private static String line(Path jar, String packages) throws IOException {
        return jar.toAbsolutePath().normalize() + "\t" + Files.size(jar) + "\t" + Files.getLastModifiedTime(jar).toMillis()
                + "\t" + packages + "\t\n";
    }

    @Test
    void defaultImportsEndWithTheDisplayFunctions() {
        assertThat(ShellSession.defaultImports(CELLS)).startsWith("java.util.*", "java.util.concurrent.*")
                .endsWith(ShellSession.NOTEBOOK_IMPORTS.toArray(String[]::new));
    }

    private static final CellClassPath CELLS = CellClassPath.ofThisJvm();

    private static String ok(ShellSession session, int cell, String code) {
        Reply r = session.execute(cell, code);
        assertThat(r).as("cell %d: %s", cell, r).isInstanceOf(Reply.CellDone.class);
        Reply.CellDone done = (Reply.CellDone) r;
        return done.value() == null ? null : done.value().text();
    }

    /** Each cell runs on a thread of its own, as in the user JVM. */
    private static String okOnCellThread(ShellSession session, int cell, String code) throws Exception {
        java.util.concurrent.CompletableFuture<String> value = new java.util.concurrent.CompletableFuture<>();
        Thread t = Thread.ofPlatform().unstarted(() -> {
            Cells.enter(cell);
            try {
                value.complete(ok(session, cell, code));
            } catch (Throwable e) {
                value.completeExceptionally(e);
            } finally {
                Cells.release(cell);
            }
        });
        t.setContextClassLoader(session.classLoader());
        t.start();
        try {
            return value.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw e;
        }
    }

    @Test
    void classesDeclaredInCellsAreUsableInBranchesAndCatchBlocksOfLaterCells() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            okOnCellThread(session, 1, "record JobD(long n) {}");
            okOnCellThread(session, 2, """
                    var q = new LinkedBlockingQueue<JobD>();
                    Runnable r = () -> { try { JobD job = q.take(); } catch (InterruptedException e) { } };
                    """);
            okOnCellThread(session, 3, """
                    sealed interface Shape permits Circle, Square {}
                    record Circle(double r) implements Shape {}
                    record Square(double side) implements Shape {}
                    enum Colour { RED, GREEN }
                    class Box<T> { T item; Box(T item) { this.item = item; } T get() { return item; } }
                    """);
            assertThat(okOnCellThread(session, 4, """
                    double area(Shape s) {
                        return switch (s) {
                            case Circle c -> Math.PI * c.r() * c.r();
                            case Square q -> q.side() * q.side();
                        };
                    }
                    Shape pick(boolean round) { Shape s; if (round) s = new Circle(1); else s = new Square(2); return s; }
                    Function<Integer, Shape> make = i -> {
                        Shape s = null;
                        for (int k = 0; k < i; k++) { s = k % 2 == 0 ? new Circle(k) : new Square(k); }
                        try { if (s == null) throw new IllegalStateException(); } catch (IllegalStateException e) { s = new Square(0); }
                        return s;
                    };
                    var boxes = new ArrayList<Box<Shape>>();
                    for (Colour c : Colour.values()) { boxes.add(new Box<>(c == Colour.RED ? pick(true) : make.apply(3))); }
                    Object o = boxes.get(0).get();
                    Shape chosen = o instanceof Circle c ? c : (Shape) boxes.get(1).get();
                    "%.1f %.1f".formatted(area(chosen), area(boxes.get(1).get()))
                    """)).isEqualTo("3.1 12.6");
            assertThat(okOnCellThread(session, 5, """
                    r.getClass() != null;
                    q.put(new JobD(7));
                    Thread t = new Thread(r); t.start(); t.join();
                    q.isEmpty()
                    """)).isEqualTo("true");
            okOnCellThread(session, 6, "Circle round = new Circle(1); Square square = new Square(2);");
            assertThat(loopOfSnippetTypesStops(session, 7)).isEqualTo("CellInterrupted");
        }
    }

    /**
     * A loop whose branches merge two snippet records into their sealed interface: its frames need
     * the snippet classes' hierarchy, and since it calls no other snippet code, it ends only if it
     * was woven with stop checks itself.
     */
    private static String loopOfSnippetTypesStops(ShellSession session, int cell) throws Exception {
        java.util.concurrent.CompletableFuture<String> status = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CountDownLatch compiled = new java.util.concurrent.CountDownLatch(1);
        Thread t = Thread.ofPlatform().daemon().unstarted(() -> {
            Cells.enter(cell);
            try {
                status.complete(session.execute(cell, """
                        for (long spins = 0; ; ) {
                            Shape s = spins % 2 == 0 ? round : square;
                            try { spins += s instanceof Circle ? 1 : 2; } catch (RuntimeException e) { s = null; }
                        }
                        """).getClass().getSimpleName());
            } catch (Throwable e) {
                status.completeExceptionally(e);
            }
        });
        t.setContextClassLoader(session.classLoader());
        t.start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!session.inUserCode() && System.nanoTime() < deadline && !status.isDone()) {
            Thread.onSpinWait();
        }
        Cells.stopRunning(cell);
        try {
            return status.get(10, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            Cells.release(cell);
        }
    }

    @Test
    void cellsRunDuringTheWarmUpKeepTheirOwnValuesAndTheWarmUpLeavesNoVariable() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            Thread warmUp = Thread.ofPlatform().start(() -> session.warmUp(40, () -> false));
            for (int i = 0; i < 20; i++) {
                assertThat(okOnCellThread(session, i + 1, i + " + 1000")).isEqualTo(Integer.toString(i + 1000));
            }
            assertThat(warmUp.join(java.time.Duration.ofSeconds(120))).isTrue();
            assertThat(session.execute(21, "$warm")).isInstanceOfSatisfying(Reply.CellFailed.class,
                    f -> assertThat(f.evalue()).contains("cannot find symbol"));
        }
    }

    @Test
    void aQuestionDuringTheWarmUpIsAnsweredAndEndsTheWarmUp() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            Thread warmUp = Thread.ofPlatform().start(() -> session.warmUp(1_000_000, () -> false));
            assertThat(session.inspect("Thread", 6).plain()).contains("java.lang.Thread");
            assertThat(warmUp.join(java.time.Duration.ofSeconds(60))).as("the warm-up ended").isTrue();
        }
    }

    @Test
    void onlyDeclarationsStillMissingSomethingAfterTheCellGetANote() throws Exception {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            okOnCellThread(session, 1, """
                    sealed interface Animal permits Cat, Dog {}
                    record Cat() implements Animal {}
                    record Dog() implements Animal {}
                    """);
            assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();
            okOnCellThread(session, 2, "void feed() { bowl(); }");
            assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("note: void feed() { bowl(); } can be used once method bowl() is declared"
                            + System.lineSeparator());
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aCellImportingTheFirstDefaultPackageKeepsEveryOtherDefaultImport() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            okOnCellThread(session, 1, "var n = new AtomicInteger(3);");
            // JShell keys the defaults' one snippet by its first import: this cell's import replaces it
            okOnCellThread(session, 2, "import " + ShellSession.STANDARD_IMPORTS.getFirst() + ";");
            assertThat(okOnCellThread(session, 3, "new AtomicInteger(n.get()) + \" \" + Duration.ofMillis(5) + \" \" + new ArrayList<>(List.of(1))"))
                    .isEqualTo("3 PT0.005S [1]");
            okOnCellThread(session, 4, "import java.net.*; import " + ShellSession.STANDARD_IMPORTS.getFirst() + ";");
            assertThat(okOnCellThread(session, 5, "BigInteger.TWO + \" \" + URI.create(\"a:b\").getScheme()")).isEqualTo("2 a");
            assertThat(session.imports()).containsSubsequence(ShellSession.STANDARD_IMPORTS).contains("java.net.*");
        }
    }

    @Test
    void theDefaultImportsAreListedOneByOneAfterTheyWereDeclaredTogether() throws Exception {
        List<String> imports = List.of("java.util.*", "java.time.*", "static java.lang.Math.*");
        try (ShellSession session = ShellSession.open(CELLS, imports)) {
            assertThat(session.imports()).containsExactlyElementsOf(imports);
            okOnCellThread(session, 1, "import java.net.http.*;");
            assertThat(session.imports()).containsExactly("java.util.*", "java.time.*", "static java.lang.Math.*", "java.net.http.*");
            assertThat(okOnCellThread(session, 2, "max(Duration.ofSeconds(2).toSeconds(), new ArrayList<Long>(List.of(1L)).getFirst())"))
                    .isEqualTo("2");
        }
    }

    @Test
    void variablesKeepTheirValuesWhenImportsInOneCellMakeJShellRecompileThem() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            okOnCellThread(session, 1, "Duration w = Duration.ofMillis(100); int k = 7; List<String> l = List.of(\"a\");");
            okOnCellThread(session, 2, "import java.net.*;\nimport java.net.http.*;");
            assertThat(okOnCellThread(session, 3, "w + \" \" + k + \" \" + l")).isEqualTo("PT0.1S 7 [a]");
        }
    }

    @Test
    void variablesAndStaticFieldsKeepTheirValuesWhenImportsInSeparateCellsMakeJShellRecompileThem() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            okOnCellThread(session, 1, """
                    Duration w = Duration.ofMillis(100);
                    List<String> l = List.of("a");
                    class Hits { static int count; static List<String> seen = new ArrayList<>(); }
                    Hits.count = 3; Hits.seen.add("x");
                    """);
            okOnCellThread(session, 2, "import java.net.*;\n");
            okOnCellThread(session, 3, "\n// the client\nimport java.net.http.*;\n\n");
            okOnCellThread(session, 4, "\n\nimport java.nio.charset.*;");
            assertThat(okOnCellThread(session, 5, "w + \" \" + l + \" \" + Hits.count + \" \" + Hits.seen"))
                    .isEqualTo("PT0.1S [a] 3 [x]");
        }
    }

    @Test
    void variablesAndStaticFieldsKeepTheirValuesWhenAMethodTheyUsedIsRedefined() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            okOnCellThread(session, 1, "int twice(int x) { return 2 * x; }");
            okOnCellThread(session, 2, "class Acc { static int total; static void add(int x) { total += twice(x); } }");
            okOnCellThread(session, 3, "Acc.add(3); int z = twice(1); List<Integer> zs = List.of(twice(2));");
            // JShell recompiles Acc, which calls twice, and replaces its class
            okOnCellThread(session, 4, "int twice(int x) { return 3 * x; }");
            assertThat(okOnCellThread(session, 5, "Acc.total + \" \" + z + \" \" + zs")).isEqualTo("6 2 [4]");
            okOnCellThread(session, 6, "Acc.add(1);");
            assertThat(okOnCellThread(session, 7, "Acc.total")).isEqualTo("9");
        }
    }

    @Test
    void aRedefinedClassKeepsValuesOfOtherTypesAndResetsVariablesOfTheOldClass() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            okOnCellThread(session, 1, "class Foo { int v() { return 1; } }");
            okOnCellThread(session, 2, "int n = new Foo().v(); Foo f = new Foo(); Object o = new Foo();");
            okOnCellThread(session, 3, "class Foo { int v() { return 2; } }");
            // f's type is a new class now, so, as JShell reports, f is reset to null
            assertThat(okOnCellThread(session, 4, "n + \" \" + f + \" \" + (o != null) + \" \" + new Foo().v()"))
                    .isEqualTo("1 null true 2");
        }
    }

    @Test
    void aVariableTheUserDeclaresAgainTakesItsNewValue() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            okOnCellThread(session, 1, "int k = 7; String s = \"a\"; Duration d = Duration.ofSeconds(1); long j = 4;");
            okOnCellThread(session, 2, "import java.net.*;\nimport java.net.http.*;");
            okOnCellThread(session, 3, "int k = 8; String s; Object d = \"now a string\";");
            assertThat(okOnCellThread(session, 4, "k + \" \" + s + \" \" + d + \" \" + j")).isEqualTo("8 null now a string 4");
            okOnCellThread(session, 5, "int k;");
            assertThat(okOnCellThread(session, 6, "k")).isEqualTo("0");
            okOnCellThread(session, 7, "String k = \"text\";");
            assertThat(okOnCellThread(session, 8, "k")).isEqualTo("text");
        }
    }

    @Test
    void variablesAreListedWithTypeAndValueWithoutRunningTheirToString() throws Exception {
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            okOnCellThread(session, 1, "int k = 7; String s = \"a\\\"b\"; int[] a = new int[3]; List<String> none = null;");
            okOnCellThread(session, 2, "class Stuck { public String toString() { throw new IllegalStateException(); } }");
            okOnCellThread(session, 3, "Stuck st = new Stuck(); Long big = 5L; int k = 8;");
            Map<String, Reply.VariableRow> rows = new java.util.LinkedHashMap<>();
            session.listVariables().rows().forEach(r -> rows.put(r.name(), r));
            assertThat(rows.keySet()).containsExactly("a", "big", "k", "none", "s", "st");
            assertThat(rows.get("k")).isEqualTo(new Reply.VariableRow("k", "int", "8"));
            assertThat(rows.get("s")).isEqualTo(new Reply.VariableRow("s", "java.lang.String", "\"a\\\"b\""));
            assertThat(rows.get("a")).isEqualTo(new Reply.VariableRow("a", "int[]", "int[3]"));
            assertThat(rows.get("none")).isEqualTo(new Reply.VariableRow("none", "List<String>", "null"));
            assertThat(rows.get("big")).isEqualTo(new Reply.VariableRow("big", "java.lang.Long", "5"));
            assertThat(rows.get("st").value()).matches("Stuck@[0-9a-f]+");
        }
    }

    @Test
    void aCellEndingInPrintfOrAnotherPrintStreamCallShowsNoValue() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.STANDARD_IMPORTS)) {
            System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(okOnCellThread(session, 1, "System.out.printf(\"%d%n\", 5)")).isNull();
            assertThat(okOnCellThread(session, 2, "System.out.format(\"%s\", \"a\").append('b').printf(\"c%n\")")).isNull();
            assertThat(okOnCellThread(session, 3, "System.err.printf(\"\")")).isNull();
            assertThat(okOnCellThread(session, 4, "System.out")).isNull();
            assertThat(okOnCellThread(session, 5, "var text = new StringWriter(); new PrintWriter(text).printf(\"x\")")).isNull();
            assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("5" + System.lineSeparator() + "abc" + System.lineSeparator());
            // values that merely come from similar calls still show
            assertThat(okOnCellThread(session, 6, "new StringBuilder().append(\"x\").append(1)")).isEqualTo("x1");
            assertThat(okOnCellThread(session, 7, "String.format(\"%d\", 5)")).isEqualTo("5");
            assertThat(okOnCellThread(session, 8, "new Formatter().format(\"%d%%\", 50)")).isEqualTo("50%");
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void chartAndTableTypesNeedNoImport() throws Exception {
        assertThat(ShellSession.defaultImports(CELLS)).contains("org.knowm.xchart.*", "tech.tablesaw.api.*");
        try (ShellSession session = ShellSession.open(CELLS, ShellSession.defaultImports(CELLS))) {
            assertThat(okOnCellThread(session, 1, """
                    Table t = Table.create("t", IntColumn.create("n", new int[] {1, 2, 3}));
                    t.rowCount() + " " + XYChart.class.getName() + " " + List.of(1).size()
                    """)).isEqualTo("3 org.knowm.xchart.XYChart 1");
        }
    }

    @Test
    void chartTableAndNotebookTypesShareNoSimpleNameWithOtherImportedTypes() throws Exception {
        java.util.Map<String, java.util.Set<String>> packagesOf = new java.util.TreeMap<>();
        List<String> packages = new java.util.ArrayList<>(List.of("java.lang"));
        ShellSession.defaultImports(CELLS).stream().filter(i -> !i.startsWith("static "))
                .map(i -> i.substring(0, i.length() - 2)).forEach(packages::add);
        for (String pkg : packages) {
            for (String name : publicTypes(pkg)) {
                packagesOf.computeIfAbsent(name, n -> new java.util.TreeSet<>()).add(pkg);
            }
        }
        for (Class<?> nested : dev.jcn.notebook.Display.class.getClasses()) {
            packagesOf.computeIfAbsent(nested.getSimpleName(), n -> new java.util.TreeSet<>()).add("Display");
        }
        assertThat(publicTypes("java.util")).contains("List", "Map");
        assertThat(publicTypes("org.knowm.xchart")).contains("XYChart", "CategoryChart");
        assertThat(publicTypes("tech.tablesaw.api")).contains("Table", "Row");
        assertThat(packagesOf.entrySet()).filteredOn(e -> e.getValue().size() > 1)
                .filteredOn(e -> e.getValue().contains("org.knowm.xchart") || e.getValue().contains("tech.tablesaw.api")
                        || e.getValue().contains("dev.jcn.notebook") || e.getValue().contains("dev.jcn.notebook.widgets"))
                .isEmpty();
        assertThat(publicTypes("dev.jcn.notebook")).contains("Service", "MimeBundle");
        assertThat(publicTypes("dev.jcn.notebook.widgets")).contains("IntSlider", "Button", "Output");
    }

    /** Simple names of the public top-level types of {@code pkg}, from the JDK or the class path. */
    private static java.util.Set<String> publicTypes(String pkg) throws Exception {
        String dir = pkg.replace('.', '/');
        List<String> files = new java.util.ArrayList<>();
        if (pkg.startsWith("java.")) {
            java.nio.file.FileSystem jrt = java.nio.file.FileSystems.getFileSystem(java.net.URI.create("jrt:/"));
            try (var modules = Files.list(jrt.getPath("/packages", pkg))) {
                for (Path module : modules.toList()) {
                    try (var entries = Files.list(module.resolve(dir))) {
                        entries.forEach(f -> files.add(f.getFileName().toString()));
                    }
                }
            }
        } else {
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path path = Path.of(entry);
                if (entry.endsWith(".jar") && Files.isRegularFile(path)) {
                    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(path.toFile())) {
                        zip.stream().map(ZipEntry::getName)
                                .filter(n -> n.startsWith(dir + "/") && n.indexOf('/', dir.length() + 1) < 0)
                                .forEach(n -> files.add(n.substring(dir.length() + 1)));
                    }
                } else if (Files.isDirectory(path.resolve(dir))) {
                    try (var entries = Files.list(path.resolve(dir))) {
                        entries.forEach(f -> files.add(f.getFileName().toString()));
                    }
                }
            }
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (String f : files) {
            if (!f.endsWith(".class") || f.contains("$") || f.contains("-")) {
                continue;
            }
            Class<?> c = Class.forName(pkg + "." + f.substring(0, f.length() - ".class".length()), false,
                    ShellSessionTest.class.getClassLoader());
            if (java.lang.reflect.Modifier.isPublic(c.getModifiers())) {
                names.add(c.getSimpleName());
            }
        }
        return names;
    }
}
