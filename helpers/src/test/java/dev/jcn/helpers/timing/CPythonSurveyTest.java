package dev.jcn.helpers.timing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The survey of CPython builds, with stand-in interpreters: scripts that answer the probe the way CPython does
 * (this machine has no free-threaded CPython, so the path that finds one is taken with stand-ins).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class CPythonSurveyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A script that answers the probe like a CPython of that version, with or without the GIL. */
    private static Path standIn(Path file, String version, boolean freeThreaded) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\necho JCN-PROBE " + version + " " + (freeThreaded ? "free-threaded" : "gil")
                + "\necho " + version + "\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    @Test
    void itFindsBuildsOnThePathAndInPyenvUvAndCondaAndPicksWhatToCompare(@TempDir Path home) throws Exception {
        Path bin = home.resolve("bin");
        Path python3 = standIn(bin.resolve("python3"), "3.11.7", false);
        standIn(bin.resolve("python3.13t-config"), "0", false);                  // not an interpreter's name
        Files.writeString(bin.resolve("python3.13t"), "#!/bin/sh\nexit 1\n");    // a broken one
        Files.setPosixFilePermissions(bin.resolve("python3.13t"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path pyenvGil = standIn(home.resolve(".pyenv/versions/3.13.0/bin/python3.13"), "3.13.0", false);
        Path pyenvFree = standIn(home.resolve(".pyenv/versions/3.13.0t/bin/python3.13t"), "3.13.0", true);
        Path uvFree = standIn(home.resolve("uvpythons/cpython-3.14.0+freethreaded-linux-x86_64-gnu/bin/python3.14t"),
                "3.14.0", true);
        Path condaEnv = home.resolve("envs-elsewhere/py312");
        Path conda = standIn(condaEnv.resolve("bin/python3"), "3.12.4", false);
        Files.createDirectories(home.resolve(".conda"));
        Files.writeString(home.resolve(".conda/environments.txt"), condaEnv + "\n");

        CPython.Survey survey = CPython.survey(Map.of("PATH", bin.toString(),
                "UV_PYTHON_INSTALL_DIR", home.resolve("uvpythons").toString()), home, TIMEOUT);

        assertThat(survey.places()).extracting(CPython.Place::name).containsExactly("PATH", "pyenv", "uv", "conda");
        assertThat(survey.places().get(0).found()).extracting(CPython.Interpreter::path).containsExactly(python3);
        assertThat(survey.places().get(0).rejected()).singleElement().asString()
                .startsWith(bin.resolve("python3.13t") + ": exit 1");
        assertThat(survey.places().get(1).found()).extracting(CPython.Interpreter::path)
                .containsExactly(pyenvGil, pyenvFree);
        assertThat(survey.places().get(2).found()).extracting(CPython.Interpreter::path).containsExactly(uvFree);
        assertThat(survey.places().get(3).found()).extracting(CPython.Interpreter::path).containsExactly(conda);

        assertThat(survey.freeThreaded()).hasValueSatisfying(i -> assertThat(i.path()).isEqualTo(pyenvFree));
        assertThat(survey.toCompare(4)).extracting(CPython.Interpreter::label).containsExactly(
                "Python 3.11.7", "Python 3.13.0", "Python 3.13.0 (free-threaded)", "Python 3.14.0 (free-threaded)");
        assertThat(survey.toCompare(2)).hasSize(2);
        assertThat(survey.describe()).contains("* pyenv (" + home.resolve(".pyenv/versions") + "): `" + pyenvGil
                + "` Python 3.13.0, `" + pyenvFree + "` Python 3.13.0 (free-threaded)");
        assertThat(survey.verdict()).startsWith("A free-threaded CPython was found: `" + pyenvFree + "`")
                .contains("from pyenv");
    }

    @Test
    void withOnlyGilBuildsTheVerdictSaysHowToGetAFreeThreadedOne(@TempDir Path home) throws Exception {
        Path bin = home.resolve("bin");
        standIn(bin.resolve("python3"), "3.11.7", false);
        CPython.Survey survey = CPython.survey(Map.of("PATH", bin.toString()), home, TIMEOUT);
        assertThat(survey.freeThreaded()).isEmpty();
        assertThat(survey.toCompare(4)).extracting(CPython.Interpreter::label).containsExactly("Python 3.11.7");
        assertThat(survey.describe()).contains("* uv (" + home.resolve(".local/share/uv/python") + "): nothing that runs");
        assertThat(survey.verdict()).startsWith("No free-threaded CPython was found")
                .contains("uv python install 3.14t").contains("python-freethreading");
    }

    @Test
    void aCandidateThatHangsIsGivenUpAfterTheTimeout(@TempDir Path home) throws Exception {
        Path bin = home.resolve("bin");
        Files.createDirectories(bin);
        Files.writeString(bin.resolve("python3"), "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(bin.resolve("python3"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        long t0 = System.nanoTime();
        CPython.Survey survey = CPython.survey(Map.of("PATH", bin.toString()), home, Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(survey.interpreters()).isEmpty();
        assertThat(survey.places().getFirst().rejected()).singleElement().asString()
                .endsWith("no answer within 0.5 s");
        assertThat(List.copyOf(ProcessHandle.current().descendants().toList()))
                .noneMatch(p -> p.info().command().orElse("").endsWith("sleep"));
    }
}
