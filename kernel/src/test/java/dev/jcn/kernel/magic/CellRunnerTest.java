package dev.jcn.kernel.magic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jcn.kernel.execution.ExecuteResult;
import dev.jcn.kernel.execution.InterpreterEvents;
import dev.jcn.notebook.MimeBundle;
import dev.jcn.kernel.testing.FakeInterpreter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellRunnerTest {

    private final StringBuilder stdout = new StringBuilder();
    private final List<MimeBundle> displays = new ArrayList<>();
    private final InterpreterEvents events = new InterpreterEvents() {
        @Override
        public void stream(int cell, String thread, String name, String text) {
            if (name.equals("stdout")) {
                stdout.append(text);
            }
        }

        @Override
        public void display(int cell, MimeBundle bundle, String displayId, boolean update) {
            displays.add(bundle);
        }
    };
    private final FakeInterpreter fake = new FakeInterpreter(events);

    private ExecuteResult run(MagicRegistry registry, String source) {
        return new CellRunner(registry).run(1, source, fake, events);
    }

    private ExecuteResult run(String source) {
        return run(MagicRegistry.standard(), source);
    }

    private static String value(ExecuteResult r) {
        return ((ExecuteResult.Ok) r).value().data().get("text/plain").toString();
    }

    @Test
    void codeWithoutMagicsGoesStraightToTheInterpreter() {
        assertThat(value(run("out hi\n42"))).isEqualTo("42");
        assertThat(stdout).hasToString("hi\n");
    }

    @Test
    void lineTimeRunsTheStatementShowsItsValueAndPrintsWallTime() {
        ExecuteResult r = run("%time 6*7");

        assertThat(value(r)).isEqualTo("6*7");
        assertThat(stdout.toString()).matches("Wall time: [0-9.]+ (µs|ms|s)\n");
    }

    @Test
    void cellTimeTimesTheWholeBody() {
        ExecuteResult r = run("%%time\nout a\nout b\nresult");

        assertThat(value(r)).isEqualTo("result");
        assertThat(stdout.toString()).startsWith("a\nb\nWall time: ");
    }

    @Test
    void unknownAndMisusedMagicsAreOneLineMagicErrors() {
        for (String source : List.of("%nope", "%%nope\nx", "%time", "%lsmagic extra", "%classpath", "%load", "%load x.txt",
                "%maven not-coordinates", "%", "%%time now\nx", "%debugger", "%debugger on", "%debugger restart")) {
            ExecuteResult r = run(source);
            assertThat(r).as(source).isInstanceOf(ExecuteResult.Failed.class);
            ExecuteResult.Failed f = (ExecuteResult.Failed) r;
            assertThat(f.ename()).isEqualTo("MagicError");
            assertThat(f.evalue()).as(source).isNotBlank().doesNotContain("\n");
            assertThat(f.traceback()).hasSize(1);
        }
    }

    @Test
    void cellMagicUsedAsLineMagicSaysSo() {
        MagicRegistry registry = new MagicRegistry();
        registry.register((CellMagic) new TimeMagic());
        ExecuteResult.Failed f = (ExecuteResult.Failed) run(registry, "%time x");
        assertThat(f.evalue()).contains("cell magic");
    }

    @Test
    void lsmagicListsLineAndCellMagics() {
        run("%lsmagic");

        assertThat(stdout.toString()).contains("%classpath", "%maven", "%load", "%time", "%threads", "%procs", "%stop", "%debugger", "%doc", "%%time");
    }

    @Test
    void loadRunsTheFileAsTheCellAndRefusesLoops(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("setup.jsh"), "out loaded\nvalue");
        Files.writeString(dir.resolve("loop.jsh"), "%load loop.jsh");
        MagicRegistry registry = MagicRegistry.standard();
        registry.register(new LoadMagic(dir));

        assertThat(value(run(registry, "%load setup.jsh"))).isEqualTo("value");
        assertThat(stdout).hasToString("loaded\n");
        assertThat(((ExecuteResult.Failed) run(registry, "%load loop.jsh")).evalue()).contains("nested");
        assertThat(((ExecuteResult.Failed) run(registry, "%load missing.jsh")).evalue()).isEqualTo("no such file: missing.jsh");
    }

    @Test
    void classpathAddsExpandedPathsToTheInterpreter(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("lib/a.jar"), "");
        Files.writeString(dir.resolve("lib/b.jar"), "");
        Files.writeString(dir.resolve("lib/notes.txt"), "");
        Files.createDirectories(dir.resolve("classes"));
        MagicRegistry registry = MagicRegistry.standard();
        registry.register(new ClasspathMagic(dir));

        run(registry, "%classpath lib/*.jar classes");

        assertThat(fake.classpath).containsExactly(dir.resolve("lib/a.jar").toAbsolutePath(),
                dir.resolve("lib/b.jar").toAbsolutePath(), dir.resolve("classes").toAbsolutePath());
        assertThat(stdout).hasToString("Added 3 entries to the class path\n");
        assertThat(((ExecuteResult.Failed) run(registry, "%classpath nothing/*.jar")).evalue()).contains("nothing");
        assertThat(((ExecuteResult.Failed) run(registry, "%classpath lib/*.zip")).evalue()).contains("no jar or directory matches");
    }

    @Test
    void threadsProcsAndStopDisplayTheInterpretersAnswers() {
        run("%threads\n%procs\n%stop \"worker 1\"\n%stop");

        assertThat(displays).extracting(b -> b.data().get("text/plain").toString())
                .containsExactly("no threads", "no processes", "stopped worker 1", "stopped everything");
        assertThat(fake.stopped).containsExactly("worker 1", "");
    }

    @Test
    void docSendsTheFullInspectionToThePager() {
        List<MimeBundle> pages = new ArrayList<>();
        new CellRunner(MagicRegistry.standard()).run(1, "%doc Thread", fake, events, pages::add);

        assertThat(pages).singleElement().satisfies(b -> assertThat(b.data().get("text/plain").toString()).isEqualTo("doc of Thread"));
        assertThat(((ExecuteResult.Failed) run("%doc")).ename()).isEqualTo("MagicError");
    }

    @Test
    void aFailingMagicStopsTheCell() {
        ExecuteResult r = run("%nope\nout never");

        assertThat(r).isInstanceOf(ExecuteResult.Failed.class);
        assertThat(stdout).isEmpty();
    }
}
