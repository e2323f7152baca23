"""The third-party software that ships with Patient Cockpit, and the licence texts it must carry.

The Python distributions are the cockpit's runtime requirements and theirs (with the extras asked for),
read from the installed distributions' metadata: each one's licence texts are its ``License-File``
entries, else the licence files in its dist-info, else a licence field that holds a whole text. Nothing
is typed by hand, so a new dependency brings its own texts, and one without any fails the collection
(``MissingLicenceError``; tests/packaging checks the real set).

Native libraries inside the wheels are named with their notices from ``notices/`` (copied verbatim from
upstream): Qt (LGPL-3.0, with how to replace the library; PySide6's wheels carry no licence file) and
SQLCipher (its BSD notice; with SQLite and OpenSSL, compiled into sqlcipher3).

``make package`` writes the texts and ``licenses.json`` into ``licenses/`` beside the frozen program
(``collect``); Help → About reads them back (``components``); run from source, About reads the same
metadata directly.
"""

import importlib.metadata as md
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

ROOT_DISTRIBUTION: Final = "patient-cockpit"
NOTICES: Final = Path(__file__).resolve().parent / "notices"
MANIFEST: Final = "licenses.json"
FORMAT: Final = 1
_LICENCE_FILE: Final = re.compile(r"^(LICEN[CS]E|COPYING|NOTICE)", re.IGNORECASE)
# Wheels that carry no licence file: the notices that cover them (Qt for Python is Qt's licence).
COVERED_BY_NOTICE: Final[dict[str, tuple[str, ...]]] = {
    "pyside6-essentials": ("LGPL-3.0.txt", "GPL-3.0.txt", "Qt-LGPL-replacing.txt"),
    "shiboken6": ("LGPL-3.0.txt", "GPL-3.0.txt", "Qt-LGPL-replacing.txt"),
}


class MissingLicenceError(Exception):
    """A bundled distribution has no licence text to ship."""


@dataclass(frozen=True, slots=True)
class Component:
    """One piece of third-party software: ``kind`` "python" (a distribution) or "native" (a library
    inside one); ``texts`` are (file name, text)."""

    name: str
    version: str
    licence: str
    kind: str
    texts: tuple[tuple[str, str], ...]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def bundled_distributions(root: str = ROOT_DISTRIBUTION) -> list[md.Distribution]:
    """``root``'s runtime requirements, transitively, as installed here (sorted by name)."""
    found: dict[str, md.Distribution] = {}
    todo: list[tuple[str, frozenset[str]]] = [(root, frozenset())]
    while todo:
        name, extras = todo.pop()
        key = normalise(name)
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue  # a requirement for another platform
        first = key not in found
        found[key] = dist
        for requirement in dist.requires or []:
            wanted = _wanted(requirement, extras)
            if wanted is not None and (first or extras):
                todo.append(wanted)
    return sorted((d for k, d in found.items() if k != normalise(root)), key=lambda d: normalise(_name(d)))


def _name(dist: md.Distribution) -> str:
    return str(dist.metadata["Name"])


def _wanted(requirement: str, extras: frozenset[str]) -> tuple[str, frozenset[str]] | None:
    """(name, extras) of a requirement that applies here, else None."""
    from packaging.requirements import Requirement  # noqa: PLC0415 (build and source runs only)

    parsed = Requirement(requirement)
    if parsed.marker is not None and not any(
        parsed.marker.evaluate({"extra": extra}) for extra in (extras or {""})
    ):
        return None
    return parsed.name, frozenset(parsed.extras)


def licence_texts(dist: md.Distribution) -> list[tuple[str, str]]:
    """The distribution's licence texts as (file name, text); empty if it ships none."""
    texts: dict[str, str] = {}
    for entry in dist.metadata.get_all("License-File") or []:
        text = dist.read_text(f"licenses/{entry}") or dist.read_text(entry)
        if text:
            texts[entry] = text
    if not texts:
        for file in dist.files or []:
            parts = Path(str(file)).parts
            if parts and parts[0].endswith(".dist-info") and _LICENCE_FILE.match(file.name):
                text = file.read_text(encoding="utf-8")
                texts["/".join(parts[2:] if parts[1:2] == ("licenses",) else parts[1:])] = text
    if not texts:
        field = _field(dist, "License")
        if field.count("\n") >= 3:  # a whole licence text in the field
            texts["LICENSE"] = field
    if not texts:
        for notice in COVERED_BY_NOTICE.get(normalise(_name(dist)), ()):
            texts[notice] = (NOTICES / notice).read_text(encoding="utf-8")
    return sorted(texts.items())


def _field(dist: md.Distribution, name: str) -> str:
    values = dist.metadata.get_all(name) or []
    return str(values[0]) if values else ""


def _licence_name(dist: md.Distribution) -> str:
    expression = _field(dist, "License-Expression")
    if expression:
        return expression
    field = _field(dist, "License").strip()
    if field and "\n" not in field and len(field) < 80:
        return field
    classifiers = [
        c.rsplit(" :: ", 1)[-1] for c in dist.metadata.get_all("Classifier") or [] if c.startswith("License")
    ]
    return ", ".join(classifiers) or "see the licence text"


def python_components(root: str = ROOT_DISTRIBUTION) -> list[Component]:
    """Every bundled distribution with its licence texts; MissingLicenceError names those without."""
    components, missing = [], []
    for dist in bundled_distributions(root):
        texts = licence_texts(dist)
        if not texts:
            missing.append(f"{_name(dist)} {dist.version}")
        components.append(Component(_name(dist), dist.version, _licence_name(dist), "python", tuple(texts)))
    if missing:
        raise MissingLicenceError(
            f"no licence text found for {', '.join(missing)}: add the notice to cockpit/thirdparty/notices "
            "and name it in COVERED_BY_NOTICE"
        )
    return components


def native_components() -> list[Component]:
    """The native libraries inside the wheels whose notices the wheels do not carry."""

    def notice(*names: str) -> tuple[tuple[str, str], ...]:
        return tuple((n, (NOTICES / n).read_text(encoding="utf-8")) for n in names)

    found = []
    qt = _version("pyside6-essentials")
    if qt is not None:  # PySide6 x.y.z ships Qt x.y.z
        found.append(
            Component(
                "Qt",
                qt,
                "LGPL-3.0-only",
                "native",
                notice("Qt-LGPL-replacing.txt", "LGPL-3.0.txt", "GPL-3.0.txt"),
            )
        )
    sqlcipher = _sqlcipher_version()
    if sqlcipher is not None:
        licence = "BSD-3-Clause (SQLCipher), public domain (SQLite), Apache-2.0 (OpenSSL)"
        texts = notice("SQLCipher.txt", "Apache-2.0.txt")
        found.append(Component("SQLCipher", sqlcipher, licence, "native", texts))
    return found


def _version(name: str) -> str | None:
    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return None


def _sqlcipher_version() -> str | None:
    try:
        from sqlcipher3 import dbapi2  # noqa: PLC0415
    except ImportError:
        return None
    connection = dbapi2.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return str(row[0]).split()[0] if row else None


def collect(dest: Path, root: str = ROOT_DISTRIBUTION) -> list[Component]:
    """Write every component's licence texts to ``dest/<name>/`` and the list to ``dest/licenses.json``
    (sorted, no dates: the same input gives the same bytes)."""
    components = [*python_components(root), *native_components()]
    entries = []
    for component in components:
        folder = dest / normalise(component.name)
        files = []
        for name, text in component.texts:
            target = folder / name.replace("/", "__")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            files.append(target.relative_to(dest).as_posix())
        entries.append(
            {
                "name": component.name,
                "version": component.version,
                "licence": component.licence,
                "kind": component.kind,
                "files": files,
            }
        )
    manifest = {"format": FORMAT, "components": entries}
    (dest / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return components


def shipped_folder() -> Path | None:
    """The ``licenses/`` folder of a frozen install, if this is one."""
    if not getattr(sys, "frozen", False):
        return None
    folder = Path(sys.executable).resolve().parent / "licenses"
    return folder if (folder / MANIFEST).is_file() else None


def read_collected(folder: Path) -> list[Component]:
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    return [
        Component(
            entry["name"],
            entry["version"],
            entry["licence"],
            entry["kind"],
            tuple((Path(f).name, (folder / f).read_text(encoding="utf-8")) for f in entry["files"]),
        )
        for entry in manifest["components"]
    ]


def components() -> list[Component]:
    """What Help → About lists: the shipped texts of a frozen install, else read from the metadata (a
    distribution without a text is listed without one instead of failing the dialog)."""
    folder = shipped_folder()
    if folder is not None:
        return read_collected(folder)
    found = [
        Component(_name(d), d.version, _licence_name(d), "python", tuple(licence_texts(d)))
        for d in bundled_distributions()
    ]
    return [*found, *native_components()]
