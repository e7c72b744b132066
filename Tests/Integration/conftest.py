"""Fixtures: one shared site for the whole run, and a factory for sites with their own config."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Site, binary_path  # noqa: E402


def pytest_configure(config):
    if not binary_path().exists():
        raise pytest.UsageError(f"{binary_path()} does not exist: run `swift build` first (or set COUNTERSIGN_BIN)")


@pytest.fixture(scope="session")
def site():
    """The shared Countersign + nginx: tests use fresh addresses, so they do not disturb each other."""
    s = Site.start()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture
def make_site():
    """`make_site({"lockout.max_failures": "2"})` → a site of its own, stopped after the test."""
    started: list[Site] = []

    def make(extra: dict[str, str] | None = None, **kwargs) -> Site:
        s = Site.start(extra, **kwargs)
        started.append(s)
        return s

    try:
        yield make
    finally:
        for s in started:
            s.stop()
