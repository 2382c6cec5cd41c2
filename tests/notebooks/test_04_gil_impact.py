"""Claims of 04-The-Real-Impact-of-the-GIL, read from its executed outputs.

While isPrime runs, platform-thread, process and (multi-carrier) virtual-thread spinners draw frames; on a
single carrier the virtual-thread spinner draws no frame while the work runs (the asyncio
freeze); a park every `napEvery` divisions (the parameter reaches the child JVM) lets it draw frames again,
and the verdict on the yield is the one this run's counts give; a yield costs more than an empty nap, and a
park more than a yield.
"""

from __future__ import annotations

import math
import re

import pytest

from claimlines import exported, tagged_lines
from leftovers import processes_left, threads_left
from nbcheck import Measured, cell_by_tag, has_mime, machine_before, text_output, timing_claim

NB = "04-The-Real-Impact-of-the-GIL"


@pytest.fixture(scope="module")
def nb(executed_notebook):
    return executed_notebook(NB)


def line(nb, tag: str, prefix: str) -> dict[str, str]:
    found = tagged_lines(nb, tag, prefix)
    assert found, f"no line starting {prefix!r} in the cell tagged {tag!r}"
    return found[-1]


def is_prime(n: int) -> bool:
    """Miller-Rabin with the first twelve primes as bases: exact for every n below 3.3 * 10**24."""
    bases = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
    if n < 2 or any(n % p == 0 for p in bases):
        return n in bases
    d, r = n - 1, 0
    while d % 2 == 0:
        d, r = d // 2, r + 1
    for a in bases:
        x = pow(a, d, n)
        if x in (1, n - 1):
            continue
        for _ in range(r - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def test_the_number_needs_the_divisions_this_run_counted(nb):
    # The notes' number is prime: every odd divisor from 3 up to its square root is tried.
    [d] = tagged_lines(nb, "slow-summary", "divisions ")
    slow, number = int(d["slow_prime"]), int(d["number"])
    assert slow == (math.isqrt(5_000_111_000_222_021) - 1) // 2
    assert d["ratio"] == f"{number / slow:.1f}"
    said = text_output(cell_by_tag(nb, "slow-summary"))
    assert f"needs **{d['ratio']}×** as many divisions" in said, said
    n = int(re.search(r"`number` = (\d+)", said)[1])
    if n == 2**63 - 25:
        # the default, Primes.BIG_PRIME: "the largest prime below 2^63, which needs many times as many divisions"
        assert is_prime(n) and not any(is_prime(m) for m in range(n + 1, 2**63))
        assert number == (math.isqrt(n) - 1) // 2 and number / slow > 10


@pytest.mark.parametrize("kind", ["thread", "process", "virtual"])
def test_spinner_turns_while_the_prime_is_checked(nb, kind):
    name = {"thread": "platform"}.get(kind, kind)
    got = line(nb, f"spinner-{kind}", f"spinner={name} ")
    assert int(got["frames"]) > 0, got


def test_single_carrier_virtual_spinner_freezes(nb):
    got = line(nb, "freeze", "single-carrier work=prime ")
    assert got["answer"] == "42"
    assert int(got["expected"]) >= 10, "the work was too short to show a freeze"
    # the demo counts only the frames drawn while the prime is checked, and the prose says "none"
    assert int(got["frames"]) == 0, got


def test_a_nap_that_parks_brings_the_spinner_back(nb):
    frozen = line(nb, "freeze", "single-carrier work=prime ")
    park = line(nb, "nap", "single-carrier work=prime-park ")
    assert park["answer"] == "42"
    assert int(park["frames"]) >= 5 and int(park["frames"]) > int(frozen["frames"]) + 3, park


def nap_every(nb) -> int:
    source = cell_by_tag(nb, "parameters").source
    return int(re.search(r"int napEvery = ([\d_]+);", source).group(1).replace("_", ""))


def test_the_nap_interval_of_the_parameters_cell_reaches_the_child_jvms(nb):
    every = nap_every(nb)
    text = text_output(cell_by_tag(nb, "nap"))
    assert text.count(f"nap_every={every} divisions") == 2, text
    assert f"every {every:,} divisions" in text_output(cell_by_tag(nb, "nap-table"))


def test_the_verdict_on_the_yield_is_the_one_the_counts_give(nb):
    yielded = int(line(nb, "nap", "single-carrier work=prime-yield ")["frames"])
    parked = int(line(nb, "nap", "single-carrier work=prime-park ")["frames"])
    verdict = text_output(cell_by_tag(nb, "nap-verdict"))
    assert f"draw **{yielded}** frames and the park **{parked}**" in verdict
    if yielded * 2 >= parked:
        assert "both naps gave the carrier away" in verdict
    else:
        assert "the yield is no power nap here, the 1 ns park is" in verdict


def naps(nb) -> list[dict[str, str]]:
    rows = tagged_lines(nb, "nap-cost", "nap kind=")
    assert [(r["kind"], r["every"]) for r in rows] == [
        ("none", str(nap_every(nb))), ("yield", str(nap_every(nb))), ("yield", "1000"), ("park", "1000")]
    return rows


def test_a_yield_costs_more_than_an_empty_nap(measurements):
    def measure(nb):
        rows = naps(nb)
        return Measured(float(rows[2]["seconds"]) > float(rows[0]["seconds"]),
                        f"yields every 1,000 divisions {rows[2]['seconds']} s, empty naps {rows[0]['seconds']} s",
                        machine_before(nb, "nap-cost"), needs=1)

    timing_claim(measurements(NB), measure)


def test_a_park_costs_more_than_a_yield(measurements):
    def measure(nb):
        rows = naps(nb)
        return Measured(float(rows[3]["cost_us"]) > float(rows[2]["cost_us"]),
                        f"park {rows[3]['cost_us']} µs, yield {rows[2]['cost_us']} µs per nap",
                        machine_before(nb, "nap-cost"), needs=1)

    timing_claim(measurements(NB), measure)


def test_the_summary_is_this_runs(nb):
    summary = text_output(cell_by_tag(nb, "summary"))
    frozen = line(nb, "freeze", "single-carrier work=prime ")
    yielded = line(nb, "nap", "single-carrier work=prime-yield ")
    parked = line(nb, "nap", "single-carrier work=prime-park ")
    assert (f"drew {frozen['frames']} frames during a plain check, {yielded['frames']} with a yield and "
            f"{parked['frames']} with a 1 ns park every {nap_every(nb):,} divisions") in summary


def test_frames_chart_is_shown_and_exported(nb):
    assert has_mime(cell_by_tag(nb, "chart-frames"), "image/png")
    assert exported("04-spinner-frames")


def test_nothing_is_left_running(nb):
    assert threads_left(text_output(cell_by_tag(nb, "threads-at-end"))) == []
    assert processes_left(text_output(cell_by_tag(nb, "procs-at-end"))) == []
