"""Other readers' latency while clients run queries into the SQL time limit.

The production server (bench.load.datasette: factdb.publishing.serve_command) on a database
built from the project's own data. One reader requests ordinary pages in turn (a new connection
each time, so the kernel hands it to either process) first with nobody else on the server (the
baseline), then while `--slow` clients each send, again and again, arbitrary SQL that only the
time limit stops. Both phases in one run, so that their ratio compares like with like:

    python bench/slow_clients.py --slow 4
    python bench/slow_clients.py --slow 4 --serve-setting num_sql_threads 2   # an alternative
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from bench.load import HOST, datasette  # noqa: E402
from bench.measure import machine, percentile  # noqa: E402

WORK = PROJECT / "bench" / "work" / "slow-clients"
# Counts every integer until sql_time_limit_ms stops it.
ENDLESS_SQL = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT count(*) FROM n"
ENDLESS = "/facts.json?sql=" + quote(ENDLESS_SQL)
PAGES = [
    "/",
    "/facts/fact",
    "/facts/fact_view",
    "/facts/entity_facts?name=Vietnam",
    "/-/timeline",
    "/-/sources/vov-2018-quang-japan",
]


def get(port: int, path: str, timeout: float = 60) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def timed_pages(port: int, seconds: float, interval: float = 0.05) -> list[float]:
    """Latency in ms of PAGES in turn, one request started every `interval` s for `seconds`,
    each in a thread of its own, whether or not the earlier ones have been answered: a stall is
    sampled for as long as it lasts (a reader waiting for each answer in turn would count it
    once). A page that fails stops the run."""
    latencies: list[float] = []
    failures: list[str] = []

    def one(path: str) -> None:
        started = time.perf_counter()
        status = get(port, path)
        latencies.append((time.perf_counter() - started) * 1000)
        if status != 200:
            failures.append(f"{path} answered {status}")

    readers = []
    for number in range(round(seconds / interval)):
        reader = threading.Thread(target=one, args=(PAGES[number % len(PAGES)],))
        reader.start()
        readers.append(reader)
        time.sleep(interval)
    for reader in readers:
        reader.join()
    if failures:
        raise RuntimeError("; ".join(failures))
    return latencies


def slow_client(port: int, stop: threading.Event, answered: list[int]) -> None:
    while not stop.is_set():
        answered.append(get(port, ENDLESS))


def summary(latencies: list[float]) -> dict[str, float]:
    return {
        "median": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "max": max(latencies),
        "count": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=int, default=4, help="clients sending queries that run into the time limit")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase (the limit is 2 s)")
    parser.add_argument("--database", type=Path, help="serve this database instead of building the project's")
    parser.add_argument("--serve-setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    arguments = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    database = arguments.database or WORK / "facts.db"
    if arguments.database is None:
        build = [sys.executable, str(PROJECT / "build.py"), "build", "--output", str(database)]
        subprocess.run(build, check=True, capture_output=True)
    extra = tuple(part for name, value in arguments.serve_setting for part in ("--setting", name, value))
    described = machine()
    with datasette(database, WORK / "server.log", extra) as (port, *_):
        timed_pages(port, 1)  # warm up both processes
        baseline = summary(timed_pages(port, arguments.seconds))
        stop, answered = threading.Event(), []
        clients = [threading.Thread(target=slow_client, args=(port, stop, answered)) for _ in range(arguments.slow)]
        for client in clients:
            client.start()
        time.sleep(0.5)  # every slow client has a query running
        loaded = summary(timed_pages(port, arguments.seconds))
        stop.set()
        for client in clients:
            client.join()
    result = {
        "machine": described,
        "settings": arguments.serve_setting,
        "slow_clients": arguments.slow,
        "slow_answers": {str(status): answered.count(status) for status in set(answered)},
        "baseline_ms": baseline,
        "loaded_ms": loaded,
        "ratio_median": loaded["median"] / baseline["median"],
        "ratio_p95": loaded["p95"] / baseline["p95"],
    }
    label = "-".join(f"{name}={value}" for name, value in arguments.serve_setting) or "production"
    (WORK / f"result-{label}-{arguments.slow}.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
