"""Claims of 04-The-Real-Impact-of-the-GIL, read from its executed outputs.

While isPrime runs, platform-thread, process and (multi-carrier) virtual-thread spinners draw frames; on a
single carrier the virtual-thread spinner draws at most its first frame until the work ends (the asyncio
freeze); a park every 100,000 divisions lets it draw frames again.
"""

from __future__ import annotations

import pytest

from claimlines import exported, tagged_lines
from leftovers import processes_left, threads_left
from nbcheck import cell_by_tag, has_mime, text_output

NB = "04-The-Real-Impact-of-the-GIL"


@pytest.fixture(scope="module")
def nb(executed_notebook):
    return executed_notebook(NB)


def line(nb, tag: str, prefix: str) -> dict[str, str]:
    found = tagged_lines(nb, tag, prefix)
    assert found, f"no line starting {prefix!r} in the cell tagged {tag!r}"
    return found[-1]


@pytest.mark.parametrize("kind", ["thread", "process", "virtual"])
def test_spinner_turns_while_the_prime_is_checked(nb, kind):
    name = {"thread": "platform"}.get(kind, kind)
    got = line(nb, f"spinner-{kind}", f"spinner={name} ")
    assert int(got["frames"]) > 0, got


def test_single_carrier_virtual_spinner_freezes(nb):
    got = line(nb, "freeze", "single-carrier work=prime ")
    assert got["answer"] == "42"
    assert int(got["expected"]) >= 10, "the work was too short to show a freeze"
    assert int(got["frames"]) <= 1, got


def test_a_nap_that_parks_brings_the_spinner_back(nb):
    frozen = line(nb, "freeze", "single-carrier work=prime ")
    park = line(nb, "nap", "single-carrier work=prime-park ")
    assert park["answer"] == "42"
    assert int(park["frames"]) >= 5 and int(park["frames"]) > int(frozen["frames"]) + 3, park


def test_the_yielding_check_still_answers(nb):
    assert line(nb, "nap", "single-carrier work=prime-yield ")["answer"] == "42"


def test_nap_costs_are_measured(nb):
    rows = tagged_lines(nb, "nap-cost", "nap every=")
    assert len(rows) == 2
    for r in rows:
        assert int(r["naps"]) > 0 and float(r["seconds"]) > 0 and float(r["plain"]) > 0
    assert int(rows[1]["naps"]) > int(rows[0]["naps"])


def test_frames_chart_is_shown_and_exported(nb):
    assert has_mime(cell_by_tag(nb, "chart-frames"), "image/png")
    assert exported("04-spinner-frames")


def test_nothing_is_left_running(nb):
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
