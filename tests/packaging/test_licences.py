"""Third-party licences: every bundled distribution brings its licence text (read from its metadata), the
native libraries their notices, and both packages carry them in licenses/."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from cockpit import thirdparty
from tests.packaging.test_signatures import TARBALL, find


def test_every_bundled_distribution_has_a_licence_text(tmp_path: Path) -> None:
    """Fails when a new runtime dependency ships no licence file (collect names it)."""
    components = thirdparty.collect(tmp_path)
    names = {thirdparty.normalise(c.name) for c in components}
    # The direct runtime requirements, and some of theirs (hand-checked against pyproject and the venv).
    assert {"pyside6-essentials", "shiboken6", "sqlalchemy", "httpx", "keyring", "tufup"} <= names
    assert {"pyqtgraph", "numpy", "sqlcipher3", "alembic", "cryptography", "psycopg"} <= names
    assert {"httpcore", "h11", "anyio", "secretstorage", "jeepney", "psycopg-binary", "tuf"} <= names
    assert not {"pytest", "ruff", "mypy", "pyinstaller", "hypothesis"} & names  # dev tools are not shipped
    assert all(c.texts for c in components)
    manifest = json.loads((tmp_path / thirdparty.MANIFEST).read_text())
    by_name = {e["name"]: e for e in manifest["components"]}
    sqlalchemy = by_name["SQLAlchemy"]
    assert sqlalchemy["version"] == metadata.version("sqlalchemy")
    assert sqlalchemy["licence"] == "MIT"
    assert "Permission is hereby granted" in (tmp_path / "sqlalchemy" / "LICENSE").read_text()
    # PySide6's wheels carry no licence file: Qt's LGPL covers them, with how to replace the library.
    qt = by_name["Qt"]
    assert qt["kind"] == "native" and qt["licence"] == "LGPL-3.0-only"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (tmp_path / "qt" / "LGPL-3.0.txt").read_text()
    assert "How to replace the library" in (tmp_path / "qt" / "Qt-LGPL-replacing.txt").read_text()
    sqlcipher = by_name["SQLCipher"]
    assert sqlcipher["version"].startswith("4.")
    assert "ZETETIC LLC" in (tmp_path / "sqlcipher" / "SQLCipher.txt").read_text()
    read_back = thirdparty.read_collected(tmp_path)
    assert [c.name for c in read_back] == [e["name"] for e in manifest["components"]]


def test_a_distribution_without_a_licence_text_fails_the_collection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    for name, requires in (("demo-app", "Requires-Dist: bare-lib\n"), ("bare-lib", "")):
        info = site / f"{name.replace('-', '_')}-1.0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            textwrap.dedent(f"""\
            Metadata-Version: 2.1
            Name: {name}
            Version: 1.0
            License: MIT
            """)
            + requires
        )
    monkeypatch.syspath_prepend(str(site))
    with pytest.raises(thirdparty.MissingLicenceError, match=r"no licence text found for bare-lib 1\.0"):
        thirdparty.collect(tmp_path / "out", root="demo-app")


def test_both_packages_carry_the_licence_texts(dist: Path) -> None:
    with tarfile.open(dist / TARBALL) as tar:
        names = set(tar.getnames())
    shipped = "patient-cockpit/versions/0.1.0/licenses"
    assert f"{shipped}/licenses.json" in names
    assert f"{shipped}/qt/LGPL-3.0.txt" in names
    assert f"{shipped}/sqlcipher/SQLCipher.txt" in names
    deb = subprocess.run(
        ["dpkg-deb", "--contents", find(dist, "*.deb")], capture_output=True, text=True, check=True
    ).stdout
    assert "./opt/patient-cockpit/licenses/licenses.json" in deb
    assert "./opt/patient-cockpit/licenses/sqlalchemy/LICENSE" in deb
    info = json.loads((dist / "build-info.json").read_text())
    assert info["third_party_components"] > 40


def test_an_installed_build_shows_the_texts_it_ships(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Frozen, About reads licenses/ beside the program (the bundle has no distribution metadata)."""
    collected = thirdparty.collect(tmp_path / "licenses")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "cockpit"))
    assert thirdparty.shipped_folder() == tmp_path / "licenses"
    shown = thirdparty.components()

    def listed(components: list[thirdparty.Component]) -> list[tuple[str, str, str]]:
        return [(c.name, c.version, c.licence) for c in components]

    assert listed(shown) == listed(collected)
    qt = next(c for c in shown if c.name == "Qt")
    assert [name for name, _ in qt.texts] == ["Qt-LGPL-replacing.txt", "LGPL-3.0.txt", "GPL-3.0.txt"]
