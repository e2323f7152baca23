"""The English catalogue (resources/i18n/cockpit_en.ts): complete, faithful to its placeholders, and in step
with the strings the code marks for translation."""

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.i18n.conftest import ENGLISH_TS, qt_tool

# {name}, {0}, {} (str.format), %1 / %n (Qt) and %s / %d / %(name)s (printf-style).
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\d+|%n|%\(\w+\)[sd]|%[sd]")
TAG = re.compile(r"</?\w+[^>]*>")
MNEMONIC = re.compile(r"(?<!&)&(?!&)")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str | None
    translation: str
    kind: str | None  # the translation's type attribute: None when finished

    @property
    def key(self) -> tuple[str, str, str | None]:
        return self.context, self.source, self.comment


def read_ts(path: Path) -> tuple[ET.Element, list[Message]]:
    root = ET.parse(path).getroot()
    messages = []
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            messages.append(
                Message(
                    name,
                    message.findtext("source") or "",
                    message.findtext("comment"),
                    translation.text or "",
                    translation.get("type"),
                )
            )
    return root, messages


@pytest.fixture(scope="module")
def catalogue() -> list[Message]:
    return read_ts(ENGLISH_TS)[1]


def test_the_catalogue_is_danish_to_british_english() -> None:
    root, _ = read_ts(ENGLISH_TS)
    assert (root.get("sourcelanguage"), root.get("language")) == ("da_DK", "en_GB")


def test_every_message_is_translated(catalogue: list[Message]) -> None:
    assert len(catalogue) > 150
    unfinished = [m.key for m in catalogue if m.kind is not None or not m.translation.strip()]
    assert unfinished == []


def test_translations_keep_the_placeholders_markup_and_mnemonics(catalogue: list[Message]) -> None:
    for m in catalogue:
        assert Counter(PLACEHOLDER.findall(m.translation)) == Counter(PLACEHOLDER.findall(m.source)), m.key
        assert TAG.findall(m.translation) == TAG.findall(m.source), m.key
        assert len(MNEMONIC.findall(m.translation)) == len(MNEMONIC.findall(m.source)), m.key


def test_the_translations_are_english_not_copies_of_the_danish(catalogue: list[Message]) -> None:
    danish = re.compile("[æøåÆØÅ]")
    assert [m.key for m in catalogue if danish.search(m.translation)] == []


def test_singular_and_plural_of_the_same_danish_word_get_different_english(catalogue: list[Message]) -> None:
    """Danish "{count} sygebesøg" is both one and many; the disambiguation keeps them apart."""
    visits = {m.comment: m.translation for m in catalogue if m.source == "{count} sygebesøg"}
    assert visits == {"one": "{count} home visit", "many": "{count} home visits"}


def test_the_catalogue_holds_exactly_the_strings_the_code_marks(tmp_path: Path) -> None:
    """Fails when UI text changed without 'make i18n' (new strings untranslated, or stale ones kept)."""
    lupdate = qt_tool("pyside6-lupdate")
    sources = sorted(str(p) for p in (REPO / "cockpit" / "views").rglob("*.py"))
    sources.append(str(REPO / "cockpit" / "app.py"))
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [str(lupdate), *sources, "-source-language", "da_DK", "-ts", str(fresh)],
        check=True,
        capture_output=True,
    )
    marked = {m.key for m in read_ts(fresh)[1]}
    translated = {m.key for m in read_ts(ENGLISH_TS)[1]}
    assert sorted(marked - translated, key=str) == []  # run 'make i18n' and translate them
    assert sorted(translated - marked, key=str) == []  # run 'make i18n' to drop them
