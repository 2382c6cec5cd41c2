"""The execution harness itself, on small notebooks made here: cells tagged raises-exception may
fail, any other error stops the run and names its cell, and the second pass reuses the kernel."""

from __future__ import annotations

from nbformat.v4 import new_code_cell, new_notebook

import nbexec
from nbcheck import cell_by_tag, error_outputs, has_mime, text_output

SPEC = {"name": "java-concurrency", "language": "java", "display_name": "Java 25 (concurrency)"}


def notebook(*cells):
    return new_notebook(cells=list(cells), metadata={"kernelspec": SPEC})


def test_tagged_failures_are_allowed_and_others_stop_the_run(kernel_prefix, tmp_path):
    nb = notebook(
        new_code_cell("int count = 1;"),
        new_code_cell('throw new IllegalStateException("expected");', metadata={"tags": ["raises-exception"]}),
        new_code_cell('System.out.println("count=" + count);', metadata={"tags": ["after"]}),
        new_code_cell('throw new RuntimeException("unexpected");'),
        new_code_cell('System.out.println("never");', metadata={"tags": ["never"]}),
    )
    run = nbexec.execute(nb, cwd=tmp_path, passes=2)
    assert run.failed_pass == 1
    assert run.error.startswith("cell 3: ") and "unexpected" in run.error
    assert error_outputs(run.last.cells[1])
    assert text_output(cell_by_tag(run.last, "after")) == "count=1\n"
    assert cell_by_tag(run.last, "never").outputs == []


def test_second_pass_runs_on_the_same_kernel(kernel_prefix, tmp_path):
    nb = notebook(
        new_code_cell('int pass = Integer.getInteger("harness.pass", 0) + 1;'),
        new_code_cell('System.setProperty("harness.pass", String.valueOf(pass));\n'
                      'System.out.println("pass " + pass);', metadata={"tags": ["pass"]}),
        new_code_cell('display(html("<table><tr><td>1</td></tr></table>"));', metadata={"tags": ["html"]}),
    )
    run = nbexec.execute(nb, cwd=tmp_path, passes=2)
    assert run.error is None
    # A system property outlives the cells' variables: the second pass sees the first one's.
    assert [text_output(cell_by_tag(p, "pass")) for p in run.passes] == ["pass 1\n", "pass 2\n"]
    assert has_mime(cell_by_tag(run.passes[1], "html"), "text/html")
    counts = [c.execution_count for p in run.passes for c in p.cells]
    assert counts == sorted(counts) and counts[3] > counts[2], "the second pass continued the same kernel's count"
