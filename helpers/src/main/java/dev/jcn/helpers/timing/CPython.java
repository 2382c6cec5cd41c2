package dev.jcn.helpers.timing;

import dev.jcn.helpers.process.ChildProcess;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * CPython running the same algorithm on the same numbers, for comparison: our own script
 * ({@code primes_bench.py}, shipped in this jar) is run by a CPython that {@link #lookup()} found running on
 * this machine (or the one named by the environment variable {@code JCN_PYTHON}).
 *
 * <pre>{@code
 * CPython.find();                                          // Optional[/usr/bin/python3]
 * CPython.lookup().reason();                               // "" or why none runs, candidate by candidate
 * CPython.probe("python3.13t");                            // Optional[Interpreter[..., 3.13.0, freeThreaded=true]]
 * CPython.Survey all = CPython.survey();                   // every CPython on PATH, in pyenv, uv and conda
 * all.freeThreaded();                                      // the first free-threaded build found, if any
 * var py = Sweep.of("threads", "processes").workers(1, 2).repeats(1).runCPython();
 * if (py.skipped().isPresent()) System.out.println("CPython skipped: " + py.skipped().get());
 * else py.result().medians();
 * }</pre>
 */
public final class CPython {

    /** The models the script knows. */
    public static final List<String> MODELS = List.of("sequential", "threads", "processes");

    private CPython() {
    }

    /**
     * The outcome of a CPython sweep: the timings, or why there are none.
     *
     * @param python  the interpreter used (empty if none was found)
     * @param version its version line (empty if none was found)
     * @param skipped why the sweep did not run, if it did not
     * @param result  the timings, if it ran
     */
    public record Comparison(String python, String version, Optional<String> skipped, Optional<SweepResult> result) {
    }

    /** The interpreter names looked for on the PATH, in this order; then {@link #FALLBACKS}. */
    public static final List<String> NAMES = List.of("python3.13", "python3.12", "python3");

    /** Interpreters tried after the PATH. */
    public static final List<Path> FALLBACKS = List.of(Path.of("/usr/bin/python3"));

    /** How long a candidate may take to run {@code import sys; print(...)} before it counts as not working. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    /**
     * A CPython that ran a line of code here.
     *
     * @param path          the interpreter as found (a pyenv shim stays a shim: it worked)
     * @param version       e.g. {@code 3.13.0}
     * @param freeThreaded  whether it runs without the GIL ({@code python3.13t})
     */
    public record Interpreter(Path path, String version, boolean freeThreaded) {

        /** E.g. "Python 3.13.0" or "Python 3.13.0 (free-threaded)". */
        public String label() {
            return "Python " + version + (freeThreaded ? " (free-threaded)" : "");
        }
    }

    /**
     * What {@link #lookup()} found: the first interpreter that runs, and every candidate tried before it with
     * why it was passed over.
     *
     * @param found    the interpreter to use, if any ran
     * @param rejected one line per candidate that did not run, e.g.
     *                 "/root/.pyenv/shims/python3.13: exit 127: pyenv: python3.13: command not found"
     */
    public record Lookup(Optional<Interpreter> found, List<String> rejected) {

        /** Copies the list. */
        public Lookup {
            rejected = List.copyOf(rejected);
        }

        /** Why there is no interpreter: the candidates tried and what each did, or that there were none. */
        public String reason() {
            if (found.isPresent()) {
                return "";
            }
            return rejected.isEmpty() ? "no python3 found on the PATH (or in JCN_PYTHON)"
                    : "no working python3: " + String.join("; ", rejected);
        }
    }

    /** The python3 to use: the interpreter of {@link #lookup()}, if one runs. */
    public static Optional<Path> find() {
        return lookup().found().map(Interpreter::path);
    }

    /**
     * Looks for a CPython that actually runs: {@code JCN_PYTHON} if set (and then only that one); else
     * {@code python3.13}, {@code python3.12}, {@code python3} in every PATH directory, then
     * {@code /usr/bin/python3}. Each candidate must run {@code import sys; print(sys.version)} within
     * {@link #PROBE_TIMEOUT}: a pyenv shim for a version that is not selected exists on the PATH but fails.
     */
    public static Lookup lookup() {
        return lookup(System.getenv("JCN_PYTHON"), System.getenv().getOrDefault("PATH", ""), FALLBACKS, PROBE_TIMEOUT);
    }

    static Lookup lookup(String named, String path, List<Path> fallbacks, Duration timeout) {
        List<Path> candidates = new ArrayList<>();
        if (named != null && !named.isBlank()) {
            candidates.add(Path.of(named));
        } else {
            for (String name : NAMES) {
                for (String dir : path.split(java.io.File.pathSeparator)) {
                    if (!dir.isBlank()) {
                        Path candidate = Path.of(dir, name);
                        if (Files.isExecutable(candidate)) {
                            candidates.add(candidate);
                        }
                    }
                }
            }
            fallbacks.stream().filter(Files::isExecutable).forEach(candidates::add);
        }
        List<String> rejected = new ArrayList<>();
        for (Path candidate : candidates.stream().distinct().toList()) {
            Probe probe = probe(candidate, timeout);
            if (probe.interpreter() != null) {
                return new Lookup(Optional.of(probe.interpreter()), rejected);
            }
            rejected.add(candidate + ": " + probe.failure());
        }
        return new Lookup(Optional.empty(), rejected);
    }

    /**
     * Runs {@code python} on one line of code (at most {@link #PROBE_TIMEOUT}) and reads its version and
     * whether it has the GIL.
     *
     * @return the interpreter, or empty if it does not run
     */
    public static Optional<Interpreter> probe(String python) {
        if (python == null || python.isBlank()) {
            throw new IllegalArgumentException("give the path or name of a python interpreter");
        }
        return Optional.ofNullable(probe(Path.of(python), PROBE_TIMEOUT).interpreter());
    }

    private record Probe(Interpreter interpreter, String failure) {
    }

    private static final String PROBE_CODE = "import sys; print('JCN-PROBE', sys.version.split()[0], "
            + "'gil' if getattr(sys, '_is_gil_enabled', lambda: True)() else 'free-threaded'); print(sys.version)";

    private static Probe probe(Path python, Duration timeout) {
        Path output = null;
        Process process = null;
        try {
            output = Files.createTempFile("jcn-python-probe", ".txt");
            // Output to a file, not a pipe: no reader thread, and a process that prints a lot cannot block.
            process = new ProcessBuilder(python.toString(), "-c", PROBE_CODE)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                return new Probe(null, "no answer within " + timeout.toMillis() / 1000.0 + " s");
            }
            String text = Files.readString(output, java.nio.charset.StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                return new Probe(null, "exit " + process.exitValue() + firstLine(text));
            }
            for (String line : text.lines().toList()) {
                String[] f = line.strip().split(" ");
                if (f.length == 3 && f[0].equals("JCN-PROBE")) {
                    return new Probe(new Interpreter(python, f[1], f[2].equals("free-threaded")), null);
                }
            }
            return new Probe(null, "not a CPython 3" + firstLine(text));
        } catch (IOException e) {
            return new Probe(null, "cannot run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted while trying " + python);
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // A stray temporary file is harmless.
                }
            }
        }
    }

    private static String firstLine(String text) {
        String line = text.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("");
        if (line.length() > 120) {
            line = line.substring(0, 120) + "…";
        }
        return line.isEmpty() ? "" : ": " + line;
    }

    /** How to get a free-threaded CPython, for the reader of a survey that found none. */
    public static final String FREE_THREADED_INSTALL = "`uv python install 3.14t`, `pyenv install 3.14t`, "
            + "`conda create -n py314t -c conda-forge python-freethreading`, or the free-threaded option of "
            + "the python.org installers (macOS, Windows); 3.13t works the same way";

    /** The file names a survey takes for CPython: {@code python3}, {@code python3.13}, {@code python3.13t}. */
    private static final java.util.regex.Pattern PYTHON_NAME = java.util.regex.Pattern.compile("python3(\\.\\d+)?t?");

    /**
     * One place a survey looked in.
     *
     * @param name     "PATH", "pyenv", "uv" or "conda"
     * @param where    the folders it looked in, in words
     * @param found    the interpreters that ran
     * @param rejected candidates that did not run, with why
     */
    public record Place(String name, String where, List<Interpreter> found, List<String> rejected) {

        /** Copies the lists. */
        public Place {
            found = List.copyOf(found);
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * Every CPython a {@link #survey()} found, place by place.
     *
     * @param places where it looked, in order: PATH, pyenv, uv, conda
     */
    public record Survey(List<Place> places) {

        /** Copies the list. */
        public Survey {
            places = List.copyOf(places);
        }

        /** Every interpreter found, in the order of the places, each path once. */
        public List<Interpreter> interpreters() {
            return places.stream().flatMap(p -> p.found().stream()).toList();
        }

        /** The first free-threaded build found, if any. */
        public Optional<Interpreter> freeThreaded() {
            return interpreters().stream().filter(Interpreter::freeThreaded).findFirst();
        }

        /**
         * The interpreters worth timing side by side, at most {@code max}: the first build with the GIL (the one
         * {@code python3} on the PATH runs, if it is one), the newest build with the GIL of 3.13 or later, and
         * every free-threaded build; one per version and kind.
         */
        public List<Interpreter> toCompare(int max) {
            List<Interpreter> chosen = new ArrayList<>();
            java.util.function.Predicate<Interpreter> newKind = i -> chosen.stream()
                    .noneMatch(c -> c.version().equals(i.version()) && c.freeThreaded() == i.freeThreaded());
            interpreters().stream().filter(i -> !i.freeThreaded()).findFirst().ifPresent(chosen::add);
            interpreters().stream().filter(i -> !i.freeThreaded() && minor(i) >= 13)
                    .max(java.util.Comparator.comparingInt(CPython::minor)).filter(newKind).ifPresent(chosen::add);
            for (Interpreter i : interpreters()) {
                if (i.freeThreaded() && newKind.test(i)) {
                    chosen.add(i);
                }
            }
            return chosen.stream().limit(max).toList();
        }

        /**
         * What the survey means for comparing CPython with and without the GIL, in a sentence or two of Markdown:
         * the free-threaded build found and where, or that there is none and how to get one.
         */
        public String verdict() {
            Optional<Interpreter> ft = freeThreaded();
            if (ft.isPresent()) {
                String place = places.stream().filter(p -> p.found().contains(ft.get())).map(Place::name)
                        .findFirst().orElse("?");
                return "A free-threaded CPython was found: `" + ft.get().path() + "` (" + ft.get().label()
                        + ", from " + place + "). Its bars are in the chart below, next to the builds with the GIL.";
            }
            return "No free-threaded CPython was found in any of these places, so the chart below has only builds "
                    + "with the GIL, and Java's threads stand in for what free threading can give. To add one: "
                    + FREE_THREADED_INSTALL + "; then run this notebook again.";
        }

        /** Where it looked and what it found, as Markdown bullets. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            for (Place p : places) {
                sb.append("* ").append(p.name()).append(" (").append(p.where()).append("): ");
                sb.append(p.found().isEmpty() ? "nothing that runs" : p.found().stream()
                        .map(i -> "`" + i.path() + "` " + i.label()).collect(Collectors.joining(", ")));
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    /**
     * Looks for every CPython 3 that runs: {@code python3}, {@code python3.X} and {@code python3.Xt} in every PATH
     * directory, in pyenv's versions ({@code $PYENV_ROOT} or {@code ~/.pyenv}), in uv's managed Pythons
     * ({@code $UV_PYTHON_INSTALL_DIR}, or {@code uv/python} under {@code $XDG_DATA_HOME} or {@code ~/.local/share})
     * and in conda's environments (the active one, those listed in {@code ~/.conda/environments.txt}, and the
     * usual installs under the home folder with their {@code envs}). Each candidate is run once, for at most
     * {@link #PROBE_TIMEOUT}.
     */
    public static Survey survey() {
        return survey(System.getenv(), Path.of(System.getProperty("user.home")), PROBE_TIMEOUT);
    }

    static Survey survey(java.util.Map<String, String> env, Path home, Duration timeout) {
        List<Place> places = new ArrayList<>();
        java.util.Set<Path> seen = new java.util.HashSet<>();
        List<Path> pathDirs = java.util.Arrays.stream(env.getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .filter(d -> !d.isBlank()).map(Path::of).toList();
        places.add(place("PATH", pathDirs.size() + " folders", pathDirs, seen, timeout));

        Path pyenv = Path.of(env.getOrDefault("PYENV_ROOT", home.resolve(".pyenv").toString())).resolve("versions");
        places.add(place("pyenv", pyenv.toString(), binsUnder(pyenv), seen, timeout));

        Path uv = env.containsKey("UV_PYTHON_INSTALL_DIR") ? Path.of(env.get("UV_PYTHON_INSTALL_DIR"))
                : Path.of(env.getOrDefault("XDG_DATA_HOME", home.resolve(".local/share").toString()), "uv", "python");
        places.add(place("uv", uv.toString(), binsUnder(uv), seen, timeout));

        List<Path> condaPrefixes = new ArrayList<>();
        if (env.containsKey("CONDA_PREFIX")) {
            condaPrefixes.add(Path.of(env.get("CONDA_PREFIX")));
        }
        try {
            Path listed = home.resolve(".conda/environments.txt");
            if (Files.isReadable(listed)) {
                Files.readAllLines(listed).stream().map(String::strip).filter(l -> !l.isEmpty()).map(Path::of)
                        .forEach(condaPrefixes::add);
            }
        } catch (IOException ignored) {
            // an unreadable list only means fewer places
        }
        for (String install : List.of("miniforge3", "mambaforge", "miniconda3", "anaconda3")) {
            Path base = home.resolve(install);
            condaPrefixes.add(base);
            condaPrefixes.addAll(binsUnder(base.resolve("envs")).stream().map(Path::getParent).toList());
        }
        List<Path> condaBins = condaPrefixes.stream().distinct().map(p -> p.resolve("bin")).toList();
        places.add(place("conda", "$CONDA_PREFIX, ~/.conda/environments.txt, ~/miniforge3, ~/mambaforge, "
                + "~/miniconda3, ~/anaconda3 and their envs", condaBins, seen, timeout));
        return new Survey(places);
    }

    /** The {@code bin} folders of the installs right under {@code dir} (pyenv's and uv's layout). */
    private static List<Path> binsUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var installs = Files.list(dir)) {
            return installs.sorted().map(d -> d.resolve("bin")).filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Place place(String name, String where, List<Path> dirs, java.util.Set<Path> seen, Duration timeout) {
        List<Path> candidates = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                files.filter(f -> PYTHON_NAME.matcher(f.getFileName().toString()).matches())
                        .filter(Files::isExecutable).sorted().forEach(candidate -> {
                            try {
                                // A pyenv shim runs a version that the pyenv place probes directly: only the
                                // plain python3 shim is worth running, to learn what the PATH's python3 is.
                                boolean shim = candidate.toString().contains("/shims/");
                                if (shim && !candidate.getFileName().toString().equals("python3")) {
                                    return;
                                }
                                if (seen.add(shim ? candidate : candidate.toRealPath())) {
                                    candidates.add(candidate);
                                }
                            } catch (IOException gone) {
                                // a dangling link is no interpreter
                            }
                        });
            } catch (IOException e) {
                // an unreadable folder only means fewer candidates
            }
        }
        // Every candidate is a process that mostly waits: run them all at once, each bounded by the timeout.
        List<java.util.concurrent.Future<Probe>> probes = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Path candidate : candidates) {
                probes.add(threads.submit(() -> probe(candidate, timeout)));
            }
        }
        List<Interpreter> found = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            Probe probe = probes.get(i).resultNow();
            if (probe.interpreter() != null) {
                found.add(probe.interpreter());
            } else {
                rejected.add(candidates.get(i) + ": " + probe.failure());
            }
        }
        return new Place(name, where, found, rejected);
    }

    private static int minor(Interpreter i) {
        String[] parts = i.version().split("\\.");
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The version line of {@code python} ("Python 3.11.7"), or empty if it does not run. */
    public static Optional<String> version(Path python) {
        return Optional.ofNullable(probe(python, PROBE_TIMEOUT).interpreter()).map(Interpreter::label);
    }

    /** {@link #sweep(Optional, List, List, int, List, Consumer, Runnable)} with what a lookup found, or its reason. */
    static Comparison sweep(Lookup lookup, List<String> models, List<Integer> workers, int repeats,
                            List<Long> numbers, Consumer<SweepProgress> progress, Runnable end) {
        if (lookup.found().isEmpty()) {
            return new Comparison("", "", Optional.of(lookup.reason()), Optional.empty());
        }
        return sweep(lookup.found().map(Interpreter::path), models, workers, repeats, numbers, progress, end);
    }

    static Comparison sweep(Optional<Path> python, List<String> models, List<Integer> workers, int repeats,
                            List<Long> numbers, Consumer<SweepProgress> progress, Runnable end) {
        if (python.isEmpty()) {
            return new Comparison("", "", Optional.of("no python3 found on the PATH (or in JCN_PYTHON)"),
                    Optional.empty());
        }
        Probe probe = probe(python.get(), PROBE_TIMEOUT);
        if (probe.interpreter() == null) {
            return new Comparison(python.get().toString(), "",
                    Optional.of(python.get() + " did not run: " + probe.failure()), Optional.empty());
        }
        Optional<String> version = Optional.of(probe.interpreter().label());
        Path script;
        try {
            script = extractScript();
        } catch (IOException e) {
            return new Comparison(python.get().toString(), version.get(),
                    Optional.of("cannot write the benchmark script: " + e.getMessage()), Optional.empty());
        }
        List<String> command = new ArrayList<>(List.of(python.get().toString(), script.toString(),
                "--models", String.join(",", models),
                "--workers", workers.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--repeats", Integer.toString(repeats),
                "--numbers", numbers.stream().map(String::valueOf).collect(Collectors.joining(","))));
        List<Object[]> rows = Collections.synchronizedList(new ArrayList<>());
        int total = repeats * (1 + (int) models.stream().filter(m -> !m.equals(Sweep.SEQUENTIAL)).count() * workers.size());
        try (ChildProcess p = ChildProcess.start(command, line -> {
            String[] parts = line.strip().split(" ");
            if (parts.length == 5 && parts[0].equals("RUN")) {
                Object[] row = {"cpython-" + parts[1], Integer.parseInt(parts[2]), Integer.parseInt(parts[3]),
                        Double.parseDouble(parts[4])};
                rows.add(row);
                progress.accept(new SweepProgress(rows.size(), total, (String) row[0], (Integer) row[1],
                        (Integer) row[2], (Double) row[3]));
            }
        })) {
            boolean ended = p.waitFor(Duration.ofHours(1));
            end.run();
            if (!ended || p.exitCode() != 0) {
                return new Comparison(python.get().toString(), version.get(),
                        Optional.of("the CPython run failed" + (ended ? " with exit code " + p.exitCode() : "")),
                        Optional.empty());
            }
        } finally {
            try {
                Files.deleteIfExists(script);
            } catch (IOException ignored) {
                // A stray temporary script is harmless.
            }
        }
        List<Object[]> renamed = new ArrayList<>();
        for (Object[] row : rows) {
            // SweepResult finds the baseline under the plain name.
            renamed.add(row[0].equals("cpython-sequential") ? new Object[]{Sweep.SEQUENTIAL, row[1], row[2], row[3]} : row);
        }
        SweepResult result = SweepResult.of(version.get(), numbers, List.of(), renamed);
        return new Comparison(python.get().toString(), version.get(), Optional.empty(), Optional.of(result));
    }

    private static Path extractScript() throws IOException {
        Path script = Files.createTempFile("primes_bench", ".py");
        try (InputStream in = CPython.class.getResourceAsStream("primes_bench.py")) {
            if (in == null) {
                throw new IOException("primes_bench.py is missing from the helpers jar");
            }
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }
}
