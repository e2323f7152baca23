"""No clinical code is written in Python under cockpit/: codes live in the codelist files
(cockpit/codelists/data, docs/codelists.md), so that panel and packs cannot drift apart and every code has
its source. This test reads every string literal (not docstrings, which may show an example; not comments)
and fails on anything shaped like a code of a terminology the cockpit reads."""

import ast
import re
from pathlib import Path

import pytest

from cockpit.codelists.loader import all_codelists

COCKPIT = Path(__file__).resolve().parents[1] / "cockpit"

# Shapes of codes, each standing alone (not inside a longer word, a colour "#D55E00", a time "T00:00").
_EDGE_BEFORE = r"(?<![\w#.:/-])"
_EDGE_AFTER = r"(?![\w:/-])"
CODE_SHAPES = {
    "ICPC-2": r"[A-Z][0-9]{2}(?:\.[0-9]{1,2})?",
    "ATC": r"[A-Z][0-9]{2}[A-Z]{1,2}(?:[0-9]{2})?",
    "NPU/DNK": r"(?:NPU|DNK)[0-9]{5}",
    "MedCom": r"MCS[0-9]{5}",
    "LOINC": r"[0-9]{3,5}-[0-9]",
    "SKS": r"D[A-Z][0-9]{2}[0-9A-Z]*",
}
CODE_LIKE = re.compile(
    "|".join(
        f"(?P<{re.sub(r'[^A-Za-z0-9]', '_', name)}>{_EDGE_BEFORE}{shape}{_EDGE_AFTER})"
        for name, shape in CODE_SHAPES.items()
    )
)

# Where a code-shaped string is not a clinical code, or is allowed for now; each with its reason.
ALLOWED_FILES = {
    # Synthetic demo patients (diagnoses, drugs, lab codes they are given): the demo helper's area; to be
    # read from data files too (issue 16, "Demo practice").
    "demo",
}
ALLOWED_LITERALS: dict[str, str] = {}


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of the docstring nodes of the module, its classes and functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def code_like_literals(source: str) -> list[tuple[int, str]]:
    """(line, code) for each code-shaped text in a string literal of ``source`` (docstrings excepted)."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            hits += [(node.lineno, match.group(0)) for match in CODE_LIKE.finditer(node.value)]
    return hits


def _python_files() -> list[Path]:
    return sorted(
        path for path in COCKPIT.rglob("*.py") if path.relative_to(COCKPIT).parts[0] not in ALLOWED_FILES
    )


def test_no_clinical_code_in_a_python_string_literal() -> None:
    found = [
        f"{path.relative_to(COCKPIT.parent)}:{line}: {code}"
        for path in _python_files()
        for line, code in code_like_literals(path.read_text("utf-8"))
        if code not in ALLOWED_LITERALS
    ]
    assert found == [], "clinical codes belong in cockpit/codelists/data (docs/codelists.md)"


@pytest.mark.parametrize(
    "code",
    [
        "T90",
        "T90.01",
        "K86",
        "C10AA",
        "C10AA05",
        "C09XA52",
        "NPU27300",
        "DNK05472",
        "8480-6",
        "DE11",
        "DI109",
        "MCS88019",
    ],
)
def test_the_check_finds_every_kind_of_code(code: str) -> None:
    assert code_like_literals(f"X = {code!r}\n") == [(1, code)]
    assert code_like_literals(f"X = f'seneste {{value}} ({code})'\n") == [(1, code)]


@pytest.mark.parametrize(
    "text",
    ["#D55E00", "2025-06-30T00:00:00Z", "1.0.0", "HTTP 404", "v2.1", "120-130 mmHg", "A4", "ICD10", "ATC"],
)
def test_what_only_looks_like_a_code_is_not_flagged(text: str) -> None:
    assert code_like_literals(f"X = {text!r}\n") == []


def test_docstrings_may_show_examples() -> None:
    assert code_like_literals('"""ATC C10AA covers C10AA05."""\n') == []


def test_every_codelist_file_reads() -> None:
    """A codelist that breaks the format fails here (and names its file and line), not in a clinic."""
    lists = all_codelists()
    assert {"t2d", "t1d", "hypertension", "statin", "systolic-bp", "hba1c"} <= set(lists)
