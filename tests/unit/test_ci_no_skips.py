"""Under CI=true nothing hides: a small suite with every way a test can not test (a skipif, a skip
inside the test, a module skipped while collecting, a loose xfail that fails or passes) and a
strict xfail is run by pytest (pytester, in this process) without and with CI, through the plugin
tests/conftest.py registers (tests/ci_no_skips.py)."""

import pytest

SUITE = {
    "test_small": """
        import pytest

        def test_runs():
            assert True

        @pytest.mark.skipif(True, reason="Redis not available")
        def test_needs_redis():
            pass

        def test_skips_itself():
            pytest.skip("PostgreSQL is not installed")

        @pytest.mark.xfail(reason="a known fault")
        def test_known_fault():
            assert False

        @pytest.mark.xfail(reason="fixed since")
        def test_fixed_since():
            pass

        @pytest.mark.xfail(strict=True, reason="a pinned fault")
        def test_pinned_fault():
            assert False
    """,
    "test_browser": """
        import pytest

        pytest.skip("Chromium is not installed", allow_module_level=True)

        def test_never_collected():
            pass
    """,
}


def run(pytester, monkeypatch, ci: str | None):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makepyfile(**SUITE)
    # Kept quick: no scan of every installed package for plugins, and no unraisable-exception
    # plugin (its garbage collection at the end would walk this whole process's heap).
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    return pytester.runpytest(
        "-p", "tests.ci_no_skips", "-p", "no:cacheprovider", "-p", "no:unraisableexception", "--continue-on-collection-errors"
    )


def test_without_ci_a_skip_is_only_reported(pytester, monkeypatch):
    result = run(pytester, monkeypatch, None)
    assert result.ret == pytest.ExitCode.OK
    result.assert_outcomes(passed=1, skipped=3, xfailed=2, xpassed=1)
    assert "CI=true" not in result.stdout.str()


def test_under_ci_every_skip_and_loose_xfail_fails_the_run_and_says_why(pytester, monkeypatch):
    result = run(pytester, monkeypatch, "true")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    # The skipif (decided in setup) and the skipped module count as errors, the skip inside the
    # test and the loose xfails as failures; the strict xfail stays an xfail.
    result.assert_outcomes(passed=1, failed=3, errors=2, xfailed=1)
    output = result.stdout.str()
    for line in (
        "CI=true: test_small.py::test_needs_redis skipped: Redis not available",
        "CI=true: test_small.py::test_skips_itself skipped: PostgreSQL is not installed",
        "CI=true: test_small.py::test_known_fault xfailed without strict=True (a known fault)",
        "CI=true: test_small.py::test_fixed_since xpassed without strict=True (fixed since)",
        "CI=true: test_browser.py skipped: Chromium is not installed",
    ):
        assert line in output
    assert "CI=true: test_small.py::test_pinned_fault" not in output
