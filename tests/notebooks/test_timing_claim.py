"""The rule for timing claims (nbcheck.timing_claim): a claim passes when one measurement holds, fails at once
when a measurement that does not hold had the cores it needs, and is skipped only after three measurements that
all started with other programs on those cores."""

from __future__ import annotations

import pytest

from nbcheck import ATTEMPTS, Measured, timing_claim

QUIET = {"others_cores": "0.10", "free_cores": "1.90", "cores": "2", "load_average": "0.5"}
BUSY = {"others_cores": "1.01", "free_cores": "0.99", "cores": "2", "load_average": "6.0"}


def claim(results):
    """Runs timing_claim over made-up measurements; returns the outcome and which measurements were asked for."""
    asked = []

    def attempt(i):
        asked.append(i)
        return results[i - 1]

    try:
        timing_claim(attempt, lambda m: m)
    except pytest.fail.Exception as e:
        return "failed", str(e), asked
    except pytest.skip.Exception as e:
        return "skipped", str(e), asked
    return "passed", "", asked


def test_a_claim_that_holds_at_once_needs_one_measurement():
    assert claim([Measured(True, "ok", QUIET)]) == ("passed", "", [1])


def test_a_failure_with_a_free_core_fails_without_asking_again():
    outcome, why, asked = claim([Measured(False, "speedup 1.02 <= 1.25", QUIET)])
    assert (outcome, asked) == ("failed", [1])
    assert "speedup 1.02 <= 1.25" in why and "the cores were free" in why and "0.10 of 2 cores" in why


def test_a_busy_failure_is_measured_again_and_may_pass():
    outcome, _, asked = claim([Measured(False, "slow", BUSY), Measured(True, "ok", QUIET)])
    assert (outcome, asked) == ("passed", [1, 2])


def test_a_later_failure_with_a_free_core_still_fails():
    outcome, why, asked = claim([Measured(False, "slow", BUSY), Measured(False, "slow again", QUIET)])
    assert (outcome, asked) == ("failed", [1, 2])
    assert "measurement 2 of 3" in why


def test_only_three_busy_failures_skip_and_the_reason_names_each():
    outcome, why, asked = claim([Measured(False, f"slow {i}", BUSY) for i in range(1, ATTEMPTS + 1)])
    assert (outcome, asked) == ("skipped", [1, 2, 3])
    for i in range(1, ATTEMPTS + 1):
        assert f"#{i}: slow {i}" in why
    assert "1.01 of 2 cores" in why


def test_busy_means_other_programs_took_over_half_a_core_the_measurement_needs():
    assert Measured(False, "", BUSY).busy, "a two-core measurement lost a core"
    assert not Measured(False, "", BUSY, needs=1).busy, "a one-core measurement still had a core"
    assert not Measured(False, "", {**QUIET, "others_cores": "0.45", "free_cores": "1.55"}).busy
    assert Measured(False, "", {**QUIET, "others_cores": "0.55", "free_cores": "1.45"}).busy


TAKEN_DURING = {"spans": "7", "others_cores": "1.02", "free_cores": "0.98", "cores": "2", "load_average": "1.2",
                "window_s": "0.452"}
FREE_DURING = {**TAKEN_DURING, "others_cores": "0.03", "free_cores": "1.97"}


def test_a_core_taken_while_the_timed_parts_ran_counts_as_busy_though_it_was_free_before():
    m = Measured(False, "predicted 1.79, measured 1.01", QUIET, during=TAKEN_DURING)
    assert m.busy, "a program that started after the look before took a core during the timing"
    assert not Measured(False, "", QUIET, during=TAKEN_DURING, needs=1).busy, "a one-core measurement kept its core"
    assert not Measured(False, "", QUIET, during=FREE_DURING).busy
    assert "while it ran, up to 1.02 of 2 cores (the busiest of 7 timed parts)" in m.describe()


def test_a_failure_with_a_core_taken_during_it_is_measured_again_and_may_pass():
    outcome, _, asked = claim([Measured(False, "slow", QUIET, during=TAKEN_DURING), Measured(True, "ok", QUIET)])
    assert (outcome, asked) == ("passed", [1, 2])


def test_a_failure_with_cores_free_before_and_during_fails_at_once():
    outcome, why, asked = claim([Measured(False, "predicted 1.79, measured 1.01", QUIET, during=FREE_DURING)])
    assert (outcome, asked) == ("failed", [1])
    assert "the cores were free" in why and "while it ran, up to 0.03 of 2 cores" in why


def test_three_failures_each_with_a_core_taken_during_them_skip_and_say_so():
    outcome, why, asked = claim([Measured(False, f"slow {i}", QUIET, during=TAKEN_DURING)
                                 for i in range(1, ATTEMPTS + 1)])
    assert (outcome, asked) == ("skipped", [1, 2, 3])
    assert "before or during each of 3 measurements" in why and "while it ran, up to 1.02 of 2 cores" in why
