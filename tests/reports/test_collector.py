"""A report build slows Python's cycle collector and gives it back as found, also when the
build fails (reports.document.collector_slowed)."""

import gc

import pytest

from reports.document import BUILD_COLLECTOR_THRESHOLDS, collector_slowed


def test_the_thresholds_are_raised_during_the_build_and_restored_after():
    found = gc.get_threshold()
    with collector_slowed():
        assert gc.get_threshold() == BUILD_COLLECTOR_THRESHOLDS
        assert gc.isenabled()  # slowed, not stopped: cyclic garbage is still collected
    assert gc.get_threshold() == found


def test_a_failing_build_restores_them_too():
    found = gc.get_threshold()
    with pytest.raises(RuntimeError), collector_slowed():
        raise RuntimeError("layout failed")
    assert gc.get_threshold() == found
