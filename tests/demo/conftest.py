"""One demo practice generated per test run of this package and shared by the content and model tests."""

import gc
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cockpit.demo import DemoSummary, generate_practice
from tests.demo.export import Practice

AS_OF = date(2025, 6, 1)
PATIENTS = 5000
SEED = 20250601


@pytest.fixture(scope="package")
def demo_summary(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return generate_practice(tmp_path_factory.mktemp("demo") / "export", PATIENTS, SEED, AS_OF)


@pytest.fixture(scope="package")
def demo(demo_summary: DemoSummary) -> Iterator[Practice]:
    """The practice read back. Its millions of objects are hidden from the cyclic GC while the tests here
    run ("frozen"); otherwise every collection would walk them all and the tests would take 4x as long."""
    practice = Practice.load(demo_summary.out_dir, AS_OF)
    gc.freeze()
    yield practice
    gc.unfreeze()


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "export"
