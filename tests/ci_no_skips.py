"""Under CI (`CI=true`, as `.ci/run` and most CI services set it) a test that did not run fails the
run: a skip, or an xfail that is not strict, becomes a failure naming the test and its reason.

On a laptop a missing Redis or PostgreSQL may skip the tests that need it; in CI every service
is installed (`make test` does it), so a skip there means a test silently stopped testing.
A strict xfail stays allowed: it pins a known fault and fails the run once the fault is gone.
Registered by tests/conftest.py; tests/unit/test_ci_no_skips.py runs a small suite through it.
"""

import os

import pytest

CI_VALUES = {"1", "true", "yes"}


def under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in CI_VALUES


def _skip_reason(report) -> str:
    """The reason pytest recorded for a skip ("Skipped: " taken off), or its whole text."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ")


def _strict_xfail(item) -> bool:
    marker = item.get_closest_marker("xfail")
    if marker is None:
        return False  # pytest.xfail() called inside the test: never strict
    return bool(marker.kwargs.get("strict", item.config.getini("xfail_strict")))


def _what_hid(item, report) -> str | None:
    """Why this test's report hides that it did not test anything, or None."""
    if hasattr(report, "wasxfail"):
        if _strict_xfail(item):
            return None
        outcome = "xfailed" if report.skipped else "xpassed"
        return f"{outcome} without strict=True ({report.wasxfail or 'no reason given'})"
    if report.skipped:
        return f"skipped: {_skip_reason(report)}"
    return None


def _as_failure(report, nodeid: str, why: str) -> None:
    report.outcome = "failed"
    # pytest counts a failed report that still says "xfail" as expected, and exits 0.
    if hasattr(report, "wasxfail"):
        del report.wasxfail
    report.longrepr = (
        f"CI=true: {nodeid} {why}\n"
        "Under CI every test must run: install what it needs (`make test` installs Chromium, Redis "
        "and PostgreSQL), or mark a known fault with @pytest.mark.xfail(strict=True)."
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if under_ci():
        why = _what_hid(item, report)
        if why is not None:
            _as_failure(report, item.nodeid, why)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(collector):
    """A whole module skipped while collecting (pytest.skip(allow_module_level=True), importorskip)."""
    report = yield
    if under_ci() and report.skipped:
        _as_failure(report, report.nodeid, f"skipped: {_skip_reason(report)}")
    return report


def pytest_report_header(config) -> str | None:
    if under_ci():
        return "CI=true: a skipped test or a non-strict xfail fails the run"
    return None
