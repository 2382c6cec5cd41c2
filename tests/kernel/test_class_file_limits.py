"""A flaw of JShell that this kernel must not have: a cell beyond a limit of the class file format (a string
constant over 65,535 UTF-8 bytes, a 2 MB one, a method over 64 KB of bytecode). JShell answers "ok" or a
misleading "cannot find symbol" and then fails every later snippet; here such a cell fails with the compiler's
own message, and the session keeps every earlier variable and keeps working.
"""

from __future__ import annotations

import pytest

from test_faults import kernel, run  # noqa: F401 (kernel is a fixture: a fresh kernel for this module)


def big_method():
    lines = "".join(f"    s += x * {i} + (s >> 3);\n" for i in range(12_000))
    return "int tooBig(int x) {\n    int s = 0;\n" + lines + "    return s;\n}"


BEYOND = {
    "a string of 70,000 characters": ('String big = "' + "a" * 70_000 + '";', "constant string too long"),
    "a string of 2 MB": ('String huge = "' + "a" * 2_000_000 + '";', "constant string too long"),
    "a method over 64 KB of bytecode": (big_method(), "code too large"),
}


@pytest.mark.parametrize("what", list(BEYOND))
def test_a_cell_beyond_the_class_file_limits_fails_and_the_session_goes_on(kernel, what):
    km, kc = kernel
    code, message = BEYOND[what]
    n = list(BEYOND).index(what)
    assert run(kc, f"int kept{n} = 41;").status == "ok"
    cell = run(kc, code, timeout=120)
    assert cell.status == "error" and cell.ename == "CompilationError", cell.reply["content"]
    assert message in cell.evalue, cell.evalue
    assert run(kc, f"kept{n} + 1").result() == "42"
    assert "hi after the limit" in run(kc, 'System.out.println("hi after the limit");').stream()
    assert run(kc, f"int later{n} = 2;").status == "ok"
    assert run(kc, f"kept{n} + later{n}").result() == "43"
