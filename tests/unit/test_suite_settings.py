"""The suite's own settings hold: the test processes' garbage collector is set as
tests/conftest.py says (a test that measures memory gets Python's own settings back), and
xdist hands tests out by work stealing."""

from __future__ import annotations

import gc

from conftest import DEFAULT_THRESHOLDS, SUITE_THRESHOLDS


def test_the_suite_collects_young_objects_less_often_than_python_does():
    assert gc.get_threshold() == SUITE_THRESHOLDS
    assert SUITE_THRESHOLDS[0] > DEFAULT_THRESHOLDS[0]


def test_what_collection_imported_is_frozen_out_of_the_collectors_reach():
    assert gc.get_freeze_count() > 0


def test_a_memory_measurement_runs_with_pythons_own_thresholds(default_collector):
    assert gc.get_threshold() == DEFAULT_THRESHOLDS != SUITE_THRESHOLDS


def test_workers_steal_queued_tests_from_a_busy_worker(pytestconfig):
    # The option as configured (inside a worker the option itself reads "no").
    args = pytestconfig.getini("addopts")
    assert "--dist" in args and args[args.index("--dist") + 1] == "worksteal", args
