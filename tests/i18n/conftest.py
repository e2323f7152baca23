"""Fixtures for the interface-language tests: the English catalogue compiled from its .ts source, and an
``install`` function that switches the language and always puts the process back to Danish afterwards."""

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from cockpit.views import i18n
from tests.conftest import REPO

TS_DIR = REPO / "resources" / "i18n"
ENGLISH_TS = TS_DIR / "cockpit_en.ts"
VENV_BIN = Path(sys.executable).parent


def qt_tool(name: str) -> Path:
    tool = VENV_BIN / name
    if not tool.exists():
        pytest.skip(f"{name} is not installed next to {sys.executable}")
    return tool


@pytest.fixture(scope="session")
def compiled_translations(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding cockpit_en.qm built from the .ts now (what ``make translations`` builds), so the
    tests check the source catalogue whether or not the build output is up to date."""
    out = tmp_path_factory.mktemp("translations")
    lrelease = qt_tool("pyside6-lrelease")
    subprocess.run(
        [str(lrelease), "-silent", str(ENGLISH_TS), "-qm", str(out / "cockpit_en.qm")],
        check=True,
        capture_output=True,
    )
    return out


Install = Callable[[str], None]


@pytest.fixture
def install(
    qapp: QApplication, compiled_translations: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Install]:
    """``install("en")``: install_translators as the app does, from the freshly compiled catalogue. The
    translators, the default locale and the number format are reset after the test."""
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", compiled_translations)
    try:
        yield lambda lang: i18n.install_translators(qapp, lang)
    finally:
        i18n.remove_translators(qapp)
