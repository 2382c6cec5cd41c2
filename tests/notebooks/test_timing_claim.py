"""The rule for timing claims (nbcheck.timing_claim): a claim passes when one measurement holds, fails at once
when a measurement that does not hold had a free core, and is skipped only after three measurements that all
started with no free core."""

from __future__ import annotations

import pytest

from nbcheck import ATTEMPTS, Measured, timing_claim

QUIET = {"others_cores": "0.10", "cores": "2", "load_average": "0.5", "busy": "false"}
BUSY = {"others_cores": "1.95", "cores": "2", "load_average": "6.0", "busy": "true"}


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
    assert "speedup 1.02 <= 1.25" in why and "a core was free" in why and "0.10 of 2 cores" in why


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
    assert "1.95 of 2 cores" in why
