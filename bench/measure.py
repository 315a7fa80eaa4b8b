"""Running a command as a subprocess and measuring its wall time and peak memory.

Peak memory is the child's maximum resident set size, as GNU time (`/usr/bin/time -v`)
reports it; without GNU time, a small Python wrapper process reports
`getrusage(RUSAGE_CHILDREN).ru_maxrss` for the one command it ran, so each command's
peak is measured alone either way.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import platform
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

GNU_TIME = Path("/usr/bin/time")
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "code = subprocess.call(sys.argv[2:])\n"
    "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "open(sys.argv[1], 'w').write(f'{usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}')\n"
    "sys.exit(code)\n"
)
_MAX_RSS = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")
_CPU = re.compile(r"(?:User|System) time \(seconds\): ([\d.]+)")


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_mb: float
    returncode: int
    log: Path
    cpu_seconds: float = 0.0  # user + system: less disturbed than wall time by other work on the machine
    tree_mb: float = 0.0  # peak PSS of the process and its descendants, sampled (see TreeSampler)

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def tail(self, lines: int = 5) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def measure(command: list[str], log: Path, cwd: Path, timeout: float | None = None) -> Measurement:
    """Run command (stdout and stderr to log) and return its wall time and peak RSS."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss", delete=False) as handle:
        rss_file = Path(handle.name)
    if GNU_TIME.exists():
        wrapped = [str(GNU_TIME), "-v", "-o", str(rss_file), *command]
    else:
        wrapped = [sys.executable, "-c", _WRAPPER, str(rss_file), *command]
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        with log.open("wb") as output:
            started = time.perf_counter()
            process = subprocess.Popen(wrapped, cwd=cwd, stdout=output, stderr=subprocess.STDOUT)
            sampler = TreeSampler(process.pid)
            sampler.start()
            try:
                returncode = process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                for pid in reversed(_tree(process.pid)):  # the processes we started, children first
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                returncode = process.wait()
            finally:
                sampler.stop()
            seconds = time.perf_counter() - started
        peak_mb, cpu_seconds = _usage(rss_file.read_text())
        return Measurement(seconds, peak_mb, returncode, log, cpu_seconds, sampler.peak_mb)
    finally:
        rss_file.unlink(missing_ok=True)


class TreeSampler(threading.Thread):
    """Samples the proportional set size (PSS) of a process and all its descendants,
    summed, every half second: the memory a build with worker processes really takes
    (ru_maxrss only knows the largest single process; summing RSS would count the pages
    forked workers share with their parent several times)."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while True:
            total = sum(_pss_kb(pid) for pid in _tree(self.pid))
            self.peak_mb = max(self.peak_mb, total / 1024)
            if self._done.wait(self.interval):
                return

    def stop(self) -> None:
        self._done.set()
        self.join()


def _tree(root: int) -> list[int]:
    """root and its descendants, from /proc (empty where /proc is not available)."""
    parents: dict[int, list[int]] = {}
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if entry.name.isdigit():
            try:
                parent = int(Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(parent, []).append(int(entry.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue += parents.get(pid, [])
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def _usage(report: str) -> tuple[float, float]:
    """(peak MB, CPU seconds) from GNU time's report, or from the wrapper's two numbers."""
    match = _MAX_RSS.search(report)
    if match:
        return int(match[1]) / 1024, sum(float(value) for value in _CPU.findall(report))
    kilobytes, _, cpu = report.strip().partition(" ")
    return int(kilobytes or 0) / 1024, float(cpu or 0)


@dataclass(frozen=True)
class Series:
    """Repeated measurements of one command: the median time and the largest peak."""

    runs: list[Measurement]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and all(run.ok for run in self.runs)

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def tree_mb(self) -> float:
        return max(run.tree_mb for run in self.runs)

    def as_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "median_s": round(self.seconds, 3),
            "median_cpu_s": round(self.cpu_seconds, 3),
            "peak_mb": round(self.peak_mb, 1),
            "tree_mb": round(self.tree_mb, 1),
            "runs_s": [round(run.seconds, 3) for run in self.runs],
            "peaks_mb": [round(run.peak_mb, 1) for run in self.runs],
            "error": None if self.ok else next(run.tail() for run in self.runs if not run.ok),
        }


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(fraction * len(ordered) + 0.5)))
    return ordered[rank - 1]


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": str(_nproc()),
        "cpu_model": _cpu_model(),
        "memory": f"{_memory_gb():.1f} GB",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "datasette": _version("datasette"),
        "pydantic": _version("pydantic"),
        "os": platform.platform(),
        "load": " ".join(f"{value:.1f}" for value in os.getloadavg()),
    }


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _nproc() -> int:
    try:
        return int(subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout)
    except (OSError, ValueError, subprocess.CalledProcessError):
        return os.cpu_count() or 1


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return 0.0


def git_state(project: Path) -> str:
    """The commit measured, and whether the working tree differed from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=project, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "factdb", "schema", "build.py"],
            cwd=project,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit} (with uncommitted changes to factdb/ or schema/)" if dirty else commit
