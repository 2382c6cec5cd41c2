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
 * ({@code primes_bench.py}, shipped in this jar) is run by a {@code python3} found on the {@code PATH} (or
 * named by the environment variable {@code JCN_PYTHON}).
 *
 * <pre>{@code
 * CPython.find();                                          // Optional[/usr/bin/python3]
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

    /** The python3 to use: {@code JCN_PYTHON} if set, else the first {@code python3} on the PATH. */
    public static Optional<Path> find() {
        String named = System.getenv("JCN_PYTHON");
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "python3");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The version line of {@code python}, or empty if it does not run. */
    public static Optional<String> version(Path python) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (ChildProcess p = ChildProcess.start(List.of(python.toString(), "--version"), lines::add)) {
            if (!p.waitFor(Duration.ofSeconds(20)) || p.exitCode() != 0 || lines.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(lines.getFirst().strip());
        } catch (IllegalArgumentException cannotStart) {
            return Optional.empty();
        }
    }

    static Comparison sweep(Optional<Path> python, List<String> models, List<Integer> workers, int repeats,
                            List<Long> numbers, Consumer<SweepProgress> progress, Runnable end) {
        if (python.isEmpty()) {
            return new Comparison("", "", Optional.of("no python3 found on the PATH (or in JCN_PYTHON)"),
                    Optional.empty());
        }
        Optional<String> version = Files.isExecutable(python.get()) ? version(python.get()) : Optional.empty();
        if (version.isEmpty()) {
            return new Comparison(python.get().toString(), "",
                    Optional.of(python.get() + " --version did not answer"), Optional.empty());
        }
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
