"""A structural check of GitHub Actions workflow files, for where actionlint is not installed (its PyPI
wrapper downloads the binary from GitHub while building, and there is no Go toolchain here)."""

from __future__ import annotations

import re
from typing import Any

import yaml

STEP_KEYS = {
    "name",
    "id",
    "if",
    "uses",
    "run",
    "with",
    "env",
    "shell",
    "working-directory",
    "continue-on-error",
    "timeout-minutes",
}
JOB_KEYS = {
    "name",
    "runs-on",
    "needs",
    "if",
    "env",
    "steps",
    "timeout-minutes",
    "strategy",
    "defaults",
    "permissions",
    "outputs",
    "environment",
    "concurrency",
    "continue-on-error",
}
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$")


def lint_workflow(text: str) -> list[str]:
    """Problems in one workflow, each as 'where: what'; empty when it passes."""
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        return ["the file is not a YAML mapping"]
    problems = []
    # YAML 1.1 reads the key `on` as True.
    if "on" not in doc and True not in doc:
        problems.append("top: no 'on' trigger")
    if not isinstance(doc.get("name"), str):
        problems.append("top: no name")
    jobs = doc.get("jobs")
    if not isinstance(jobs, dict) or not jobs:
        return [*problems, "top: no jobs"]
    for job_id, job in jobs.items():
        problems += _lint_job(str(job_id), job)
    return problems


def _lint_job(job_id: str, job: Any) -> list[str]:
    if not isinstance(job, dict):
        return [f"{job_id}: not a mapping"]
    problems = [f"{job_id}: unknown key {key!r}" for key in job if key not in JOB_KEYS]
    if "runs-on" not in job:
        problems.append(f"{job_id}: no runs-on")
    if _mentions_secrets(job.get("if")):
        problems.append(f"{job_id}: 'if' cannot read secrets; derive an env flag from them")
    steps = job.get("steps")
    if not isinstance(steps, list) or not steps:
        return [*problems, f"{job_id}: no steps"]
    for index, step in enumerate(steps):
        where = f"{job_id}.steps[{index}]"
        if not isinstance(step, dict):
            problems.append(f"{where}: not a mapping")
            continue
        where = f"{job_id}: step {step.get('name', index)!r}"
        problems += [f"{where}: unknown key {key!r}" for key in step if key not in STEP_KEYS]
        if ("uses" in step) == ("run" in step):
            problems.append(f"{where}: needs exactly one of 'uses' and 'run'")
        if "uses" in step and not PINNED.match(str(step["uses"])):
            problems.append(f"{where}: action {step['uses']!r} is not pinned to a version or commit")
        if "name" not in step:
            problems.append(f"{where}: no name")
        if _mentions_secrets(step.get("if")):
            problems.append(f"{where}: 'if' cannot read secrets; derive an env flag from them")
        uses_secrets = _mentions_secrets(step.get("env")) or _mentions_secrets(step.get("with"))
        if (uses_secrets or _mentions_secrets(step.get("run"))) and not step.get("if"):
            problems.append(f"{where}: uses secrets but has no 'if', so it fails instead of skipping")
    return problems


def _mentions_secrets(value: Any) -> bool:
    return "secrets." in yaml.safe_dump(value) if value is not None else False
