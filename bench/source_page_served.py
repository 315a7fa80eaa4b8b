"""A 2 MB source page as a reader gets it: a real server, the page over HTTP.

Writes a project of one archived text of about 2 MB (numbered sentences naming two people)
and N facts citing its sentences, builds it, serves it with the production command, and
times GET /-/sources/<id> (its first part, and its tenth: the page shows a long text a part at a
time) over several requests, and the server processes' peak RSS,
against the home page of the same server in the same run:

    python bench/source_page_served.py --characters 2000000 --facts 20000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from factdb.publishing import serve_command  # noqa: E402  (the project's own module, from its root)

SOURCE = "long-source"
SENTENCE = "On day {n} Prime Minister Pham Minh Chinh met Prime Minister Fumio Kishida in Hanoi to talk about item {n}."


def write_project(root: Path, characters: int, facts: int) -> None:
    sentences, total, n = [], 0, 0
    while total < characters:
        sentence = SENTENCE.format(n=n)
        sentences.append(sentence)
        total, n = total + len(sentence) + 1, n + 1
    text = "\n".join(sentences) + "\n"
    (root / "sources").mkdir(parents=True)
    (root / "facts" / "entities").mkdir(parents=True)
    (root / "sources" / f"{SOURCE}.txt").write_text(text, encoding="utf-8")
    record = {
        "id": SOURCE,
        "title": "A long source",
        "publisher": None,
        "published": "2022",
        "published_inferred": True,
        "published_reasoning": "Made up by the benchmark.",
        "language": "en",
        "url": None,
        "text_path": f"sources/{SOURCE}.txt",
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    (root / "sources" / f"{SOURCE}.json").write_text(json.dumps(record), encoding="utf-8")
    people = [
        {"id": "person:pham-minh-chinh", "name": "Pham Minh Chinh"},
        {"id": "person:fumio-kishida", "name": "Fumio Kishida"},
    ]
    (root / "facts" / "entities" / "people.json").write_text(json.dumps({"entities": people}), encoding="utf-8")
    step = max(len(sentences) // facts, 1)
    cited = [
        {
            "id": f"met-{index}",
            "subject": "person:pham-minh-chinh",
            "predicate": "met",
            "object": "person:fumio-kishida",
            "qualifiers": {"topic": f"item {index}"},
            "citations": [{"source": SOURCE, "quote": sentences[index]}],
        }
        for index in range(0, len(sentences), step)
    ][:facts]
    (root / "facts" / f"{SOURCE}.json").write_text(json.dumps({"facts": cited}), encoding="utf-8")


def _get(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        size = len(response.read())
    return time.perf_counter() - started, size


def _rss_mb(pid: int) -> float:
    """The peak RSS of the server process and its children (VmHWM), in MB."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    total = 0
    for process in [str(pid), *children]:
        for line in Path(f"/proc/{process}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--characters", type=int, default=2_000_000)
    parser.add_argument("--facts", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="source-page-") as folder:
        root = Path(folder)
        write_project(root, options.characters, options.facts)
        database = root / "dist" / "facts.db"
        build = [sys.executable, str(PROJECT / "build.py"), "build", "--root", str(root), "--output", str(database)]
        subprocess.run(build, check=True, capture_output=True)
        server = subprocess.Popen(serve_command(database, "127.0.0.1", options.port), stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{options.port}"
        try:
            for _ in range(300):
                try:
                    _get(base + "/-/versions.json")
                    break
                except OSError:
                    time.sleep(0.2)
            home = [_get(base + "/")[0] for _ in range(options.requests)]
            page = [_get(f"{base}/-/sources/{SOURCE}") for _ in range(options.requests)]
            middle = [_get(f"{base}/-/sources/{SOURCE}?part=10")[0] for _ in range(options.requests)]
            peak = _rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    text_size = options.characters / 1e6
    median = statistics.median(seconds for seconds, _ in page)
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, Python {platform.python_version()}: "
        f"a {text_size:.1f} MB source with {options.facts:,} citing facts; source page median {median:.2f} s "
        f"(max {max(seconds for seconds, _ in page):.2f} s, {page[0][1] / 1e6:.1f} MB of HTML; its tenth part "
        f"{statistics.median(middle):.2f} s) against the home "
        f"page's {statistics.median(home) * 1000:.0f} ms; server processes' peak RSS {peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
