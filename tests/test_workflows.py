"""The GitHub Actions workflows cannot run here: check them against GitHub's workflow schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT

WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
CHECK = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.name)
def test_workflow_is_valid_for_github_actions(workflow: Path) -> None:
    result = subprocess.run([*CHECK, str(workflow)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  build:\n    steps: [{run: echo}]\n", encoding="utf-8")  # no runs-on
    result = subprocess.run([*CHECK, str(broken)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1


def test_the_publish_workflow_serves_what_serve_serves() -> None:
    """The deployed site gets the same metadata, plugins, templates and limits as `build.py serve`."""
    from factdb.publishing import SERVE_SETTINGS

    text = (PROJECT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8")
    for option in ("--metadata metadata.json", "--plugins-dir plugins", "--template-dir templates"):
        assert option in text
    assert " ".join(SERVE_SETTINGS) in text
