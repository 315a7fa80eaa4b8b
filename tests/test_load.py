"""Load: 20 concurrent readers for a minute against a real `datasette serve` on loopback,
over a table, a facet, a search, a canned query and the .db download. Zero errors.

Bounded in time (LOAD_SECONDS, default 60) and in count (a cap per reader); loopback only.
Latencies are written to bench/work/load-test.json for bench/RESULTS.md; they are recorded,
not asserted: speed goals live in the benchmarks, not in timed tests.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

from conftest import PROJECT, served

READERS = 20
SECONDS = float(os.environ.get("LOAD_SECONDS", "60"))
CAP_PER_READER = 2000
PATHS = {
    "table": "/facts/fact",
    "facet": "/facts/fact?_facet=predicate_id",
    "search": "/facts/fact?_search=Japan",
    "canned query": "/facts/timeline_between?country_a=Vietnam&country_b=Japan&year=2015",
    "download": "/facts.db",
}


def test_twenty_readers_for_a_minute_get_no_errors(built_database: Path) -> None:
    samples: list[tuple[str, int, float]] = []
    lock = threading.Lock()
    with served(built_database) as base:
        address = urlsplit(base)
        deadline = time.monotonic() + SECONDS

        def reader(number: int) -> None:
            connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
            names = list(PATHS)
            for count in range(CAP_PER_READER):
                if time.monotonic() > deadline:
                    break
                name = names[(number + count) % len(names)]
                started = time.monotonic()
                try:
                    connection.request("GET", PATHS[name])
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except OSError:
                    status = 0
                    connection.close()
                    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
                with lock:
                    samples.append((name, status, time.monotonic() - started))
            connection.close()

        threads = [threading.Thread(target=reader, args=(number,)) for number in range(READERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=SECONDS + 60)
    errors = [sample for sample in samples if sample[1] != 200]
    summary = {
        name: {
            "requests": len(times),
            "median_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(sorted(times)[int(0.95 * (len(times) - 1))] * 1000, 1),
        }
        for name in PATHS
        if (times := [elapsed for kind, _, elapsed in samples if kind == name])
    }
    out = PROJECT / "bench" / "work"
    out.mkdir(parents=True, exist_ok=True)
    (out / "load-test.json").write_text(
        json.dumps({"readers": READERS, "seconds": SECONDS, "errors": len(errors), "pages": summary}, indent=2)
    )
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    assert set(summary) == set(PATHS)
    assert all(page["requests"] >= READERS for page in summary.values())


def _connections_by_process(port: int) -> dict[int, int]:
    """How many established connections to the port each process holds (Linux /proc)."""
    established = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == "01":  # 01: ESTABLISHED
            established.add(f"socket:[{fields[9]}]")
    counts: dict[int, int] = {}
    for fd_folder in Path("/proc").glob("[0-9]*/fd"):
        try:
            held = sum(os.readlink(fd) in established for fd in fd_folder.iterdir())
        except OSError:  # a process that ended, or one not ours to read
            continue
        if held:
            counts[int(fd_folder.parent.name)] = held
    return counts


def _until_every_process_answers(port: int) -> None:
    """The server answers once one process is up: wait until each has taken a connection."""
    from factdb.publishing import WORKERS

    seen: set[int] = set()
    deadline = time.monotonic() + 60
    while len(seen) < WORKERS and time.monotonic() < deadline:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/-/versions.json")
        connection.getresponse().read()
        seen |= set(_connections_by_process(port)) - {os.getpid()}
        connection.close()
    assert len(seen) == WORKERS, seen


def test_readers_connecting_together_are_shared_between_the_processes(built_database: Path) -> None:
    """Keep-alive connections stay with the process that accepted them: if one took them all,
    one core would do the work of two (plugins/private_patches.py, accept_one_connection_a_turn)."""
    with served(built_database) as base:
        port = urlsplit(base).port
        assert port is not None
        _until_every_process_answers(port)
        connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(READERS)]
        together = threading.Barrier(READERS)

        def ask(connection: http.client.HTTPConnection) -> None:
            together.wait()
            connection.request("GET", "/-/versions.json")
            connection.getresponse().read()

        threads = [threading.Thread(target=ask, args=(connection,)) for connection in connections]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        counts = _connections_by_process(port)
        for connection in connections:
            connection.close()
    from factdb.publishing import WORKERS

    assert len(counts) == WORKERS, counts
    assert min(counts.values()) >= READERS // 4, counts  # 18 to 2 before: see the docstring
