"""Asking git about the project's checkout: one way to run it, one error for every way it fails.

`diff`, `check --changed` and the facts' history read revisions of the data files; outside a
checkout, before the first commit, or without git installed, each says so in its own terms.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


class GitError(ValueError):
    """git failed or cannot be run: the reason in words (git's own first line where it gave one)."""


def git(root: Path, *arguments: str) -> str:
    """The output of `git -C root ARGUMENTS...`, or GitError."""
    try:
        result = subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, text=True)
    except OSError as error:
        raise GitError(f"git cannot be run ({error.strerror or error})") from error
    if result.returncode != 0:
        # git's first line says why: not a git repository, unknown revision, no commits yet ...
        message = result.stderr.strip().splitlines()
        if message and "not a git repository" in message[0]:
            raise GitError("not a git checkout")
        raise GitError(message[0].removeprefix("fatal: ") if message else f"git {' '.join(arguments)} failed")
    return result.stdout
