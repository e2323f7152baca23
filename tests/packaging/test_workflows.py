"""The CI workflows for Windows and macOS: well-formed, and every step that needs a secret skips
cleanly without it. actionlint runs too where it is installed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.packaging.workflow_lint import lint_workflow

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"


def workflow(name: str) -> dict[str, object]:
    doc = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(doc, dict)
    return doc


@pytest.mark.parametrize("name", ["windows.yml", "macos.yml"])
def test_the_workflow_passes_the_structural_lint(name: str) -> None:
    assert lint_workflow((WORKFLOWS / name).read_text()) == []


def steps(doc: dict[str, object]) -> list[dict[str, str]]:
    jobs = doc["jobs"]
    assert isinstance(jobs, dict)
    return [step for job in jobs.values() for step in job["steps"]]


def test_windows_builds_smoke_tests_and_signs_exe_and_msi_only_with_secrets() -> None:
    doc = workflow("windows.yml")
    assert "windows" in doc["jobs"]["build"]["runs-on"]  # type: ignore[index]
    runs = {step.get("name"): step for step in steps(doc)}
    assert "--smoke-test" in runs["Smoke test of the frozen app"]["run"]
    signing = [s for s in steps(doc) if "signtool sign" in s.get("run", "")]
    assert len(signing) == 2  # the exe (before it goes into the MSI) and the MSI
    assert all(s["if"] == "env.HAS_AUTHENTICODE == 'true'" for s in signing)
    assert "light.exe" in runs["Build the MSI (WiX 3)"]["run"]
    assert "if" not in runs["Build the MSI (WiX 3)"]  # the MSI is built with or without secrets


def test_macos_codesigns_and_notarizes_only_with_secrets() -> None:
    doc = workflow("macos.yml")
    assert "macos" in doc["jobs"]["build"]["runs-on"]  # type: ignore[index]
    codesign = [s for s in steps(doc) if "codesign --force" in s.get("run", "")]
    notarize = [s for s in steps(doc) if "notarytool submit" in s.get("run", "")]
    assert [s["if"] for s in codesign] == ["env.HAS_CODESIGN == 'true'"]
    assert [s["if"] for s in notarize] == ["env.HAS_CODESIGN == 'true' && env.HAS_NOTARY == 'true'"]
    env = doc["jobs"]["build"]["env"]  # type: ignore[index]
    assert "secrets.MACOS_CERT_P12_BASE64" in env["HAS_CODESIGN"]
    assert "secrets.APPLE_APP_PASSWORD" in env["HAS_NOTARY"]


def test_the_lint_finds_a_signing_step_that_would_fail_without_its_secret() -> None:
    bad = """
name: bad
on: push
jobs:
  build:
    runs-on: windows-2022
    steps:
      - name: Sign
        run: signtool sign /p ${{ secrets.PASSWORD }} app.exe
      - name: Gate on a secret directly
        if: secrets.PASSWORD != ''
        run: echo hi
      - uses: actions/checkout@main
"""
    assert lint_workflow(bad) == [
        "build: step 'Sign': uses secrets but has no 'if', so it fails instead of skipping",
        "build: step 'Gate on a secret directly': 'if' cannot read secrets; derive an env flag from them",
        "build: step 2: action 'actions/checkout@main' is not pinned to a version or commit",
        "build: step 2: no name",
    ]


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint_accepts_the_workflows() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    result = subprocess.run(["actionlint", *map(str, files)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
