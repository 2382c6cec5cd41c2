"""What a cell's class path holds, through the real kernel: the JDK, the notebook API, the helpers and the
libraries they expose, and what %maven or %classpath added; never the kernel's own code or libraries.

A %maven request gets the version it names, also of a library the kernel uses itself (gson, slf4j); a
request for another version of a library the helpers expose (XChart, Hazelcast) is answered with the version cells
get and why. %maven resolves from Maven Central into the local repository, as a notebook does.
"""

from __future__ import annotations

import pytest

from test_faults import kernel, run  # noqa: F401 (kernel is a fixture: a fresh kernel for this module)

HIDDEN = {
    "the kernel's agent": "dev.jcn.kernel.agent.AgentMain",
    "the kernel's protocol layer": "dev.jcn.kernel.protocol.KernelServer",
    "gson": "com.google.gson.Gson",
    "jeromq": "org.zeromq.ZMQ",
    "slf4j-simple": "org.slf4j.simple.SimpleLogger",
    "maven-resolver": "org.eclipse.aether.RepositorySystem",
}

VISIBLE = {
    "the notebook API": "dev.jcn.notebook.Display",
    "the helpers": "dev.jcn.helpers.primes.Primes",
    "XChart": "org.knowm.xchart.XYChart",
    "Tablesaw": "tech.tablesaw.api.Table",
    "Hazelcast": "com.hazelcast.core.Hazelcast",
}

# Another version of a library the helpers expose: (what %maven asks for, the version cells keep, a class of it)
EXPOSED = {
    "XChart": ("org.knowm.xchart:xchart:3.8.1", "3.8.8", "org.knowm.xchart.XYChart"),
    "Hazelcast": ("com.hazelcast:hazelcast:5.5.0", "5.7.0", "com.hazelcast.core.Hazelcast"),
}


def maven(kc, coordinates):
    """What %maven printed for coordinates (it resolves from Maven Central: a generous wait)."""
    added = run(kc, f"%maven {coordinates}", timeout=300)
    assert added.status == "ok", added.reply["content"]
    return added.stream()


def jar_of(kc, class_name):
    """The file name of the jar a cell loads class_name from."""
    cell = run(kc, f"Path.of({class_name}.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName()")
    assert cell.status == "ok", cell.reply["content"]
    return cell.result()


@pytest.mark.parametrize("what", list(HIDDEN))
def test_the_kernels_own_code_and_libraries_are_hidden_from_cells(kernel, what):
    km, kc = kernel
    cell = run(kc, f'Class.forName("{HIDDEN[what]}")')
    assert cell.status == "error" and cell.ename == "java.lang.ClassNotFoundException", cell.reply["content"]
    compiled = run(kc, f"{HIDDEN[what]}.class.getName()")
    assert compiled.ename == "CompilationError", compiled.reply["content"]


@pytest.mark.parametrize("what", list(VISIBLE))
def test_the_api_the_helpers_and_their_libraries_are_visible(kernel, what):
    km, kc = kernel
    cell = run(kc, f"{VISIBLE[what]}.class.getName()")
    assert cell.result() == VISIBLE[what], cell.reply["content"]


def test_maven_gives_the_requested_gson_not_the_kernels(kernel):
    km, kc = kernel
    assert "gson-2.8.9.jar" in maven(kc, "com.google.code.gson:gson:2.8.9")
    assert jar_of(kc, "com.google.gson.Gson") == "gson-2.8.9.jar"
    assert run(kc, "new com.google.gson.Gson().toJson(List.of(1, 2))").result() == "[1,2]"


def test_maven_gives_the_requested_slf4j_while_the_helpers_keep_theirs(kernel):
    km, kc = kernel
    printed = maven(kc, "org.slf4j:slf4j-api:1.7.36")
    assert "org.slf4j:slf4j-api:1.7.36 is used by the cells' code; the helpers keep 2.0.17" in printed
    assert jar_of(kc, "org.slf4j.LoggerFactory") == "slf4j-api-1.7.36.jar"
    # Tablesaw, loaded with the helpers, still logs through its own slf4j: a table still works
    assert run(kc, 'Table.create("t", IntColumn.create("n", new int[] {1, 2})).rowCount()').result() == "2"


@pytest.mark.parametrize("what", list(EXPOSED))
def test_another_version_of_a_library_the_helpers_expose_is_refused_with_the_reason(kernel, what):
    km, kc = kernel
    coordinates, kept, class_name = EXPOSED[what]
    _, name, asked = coordinates.split(":")
    printed = maven(kc, coordinates)
    assert f"{coordinates} is not used: cells get {kept}, the version the helpers are built with" in printed
    assert f"{name}-{asked}.jar" not in printed
    assert jar_of(kc, class_name) == f"{name}-{kept}.jar"
