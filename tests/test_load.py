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
