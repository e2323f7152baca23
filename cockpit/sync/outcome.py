"""What an error response may tell the user: coded facts from an OperationOutcome, never a body as such.

A FHIR server's error body may echo what it was asked for (identifiers, names). So only an
OperationOutcome is looked at, its coded parts are kept, and its free-text diagnostics are shortened and
stripped of anything that looks like a CPR number or another long number before they reach a message.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

import httpx

_MAX_ISSUES: Final = 3
_MAX_DIAGNOSTICS: Final = 160
# CPR numbers (with or without the dash) and other long digit runs (phone numbers, identifiers).
_NUMBERS: Final = re.compile(r"\d{6}-?\d{4}|\d{6,}")
_RESOURCE_TYPE: Final = re.compile(r"[A-Z][A-Za-z]{1,63}|metadata")
_OPERATION: Final = re.compile(r"\$[a-z][a-z-]{0,63}|_history")


def summarise_outcome(body: bytes, content_type: str) -> str:
    """A short, safe summary of an OperationOutcome body ('' when the body is not one)."""
    if "json" not in content_type.lower() or not body:
        return ""
    try:
        outcome: Any = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return ""
    if not isinstance(outcome, dict) or outcome.get("resourceType") != "OperationOutcome":
        return ""
    issues = outcome.get("issue")
    if not isinstance(issues, list):
        return ""
    parts = [_summarise_issue(issue) for issue in issues[:_MAX_ISSUES] if isinstance(issue, dict)]
    return "; ".join(part for part in parts if part)


def _summarise_issue(issue: dict[str, Any]) -> str:
    words = [str(issue[key]) for key in ("severity", "code") if isinstance(issue.get(key), str)]
    diagnostics = issue.get("diagnostics")
    if not isinstance(diagnostics, str):
        details = issue.get("details")
        diagnostics = details.get("text") if isinstance(details, dict) else None
    if isinstance(diagnostics, str) and diagnostics.strip():
        text = _NUMBERS.sub("…", " ".join(diagnostics.split()))
        if len(text) > _MAX_DIAGNOSTICS:
            text = text[: _MAX_DIAGNOSTICS - 1] + "…"
        words.append(f'"{text}"')
    return " ".join(words)


def describe_target(url: httpx.URL, base_url: str) -> str:
    """Where a request went, for a message: the server and the resource type or operation, but never an
    id or a query (they can identify a patient)."""
    base = httpx.URL(base_url)
    origin = f"{url.scheme}://{url.netloc.decode('ascii')}"
    path = url.path
    prefix = origin
    if url.netloc == base.netloc and url.scheme == base.scheme and path.startswith(base.path):
        path = path[len(base.path) :]
        prefix = str(base).rstrip("/")
    segments = [segment for segment in path.split("/") if segment]
    shown = [
        segment
        for position, segment in enumerate(segments)
        if (position == 0 and _RESOURCE_TYPE.fullmatch(segment)) or _OPERATION.fullmatch(segment)
    ]
    return "/".join([prefix, *shown])
