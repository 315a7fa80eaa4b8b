"""A real Datasette server on the built database, read by concurrent clients.

The server is started as the project serves it (`--immutable`, an inspect file, the
project's metadata.json and factdb.publishing.SERVE_SETTINGS), on a free port of
127.0.0.1 only, and always stopped at the end. Each reader is a thread with its own
keep-alive HTTP connection that requests the pages in turn until the time is up or it
reaches its request cap; every request's latency and status is recorded.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from random import Random
from urllib.parse import quote, urlencode

from datasette.utils import detect_fts

from bench.measure import percentile

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Page:
    """One kind of page: its name and the paths that stand for it (one is chosen per request)."""

    kind: str
    paths: tuple[str, ...]
    note: str = ""


@dataclass
class Sample:
    kind: str
    seconds: float
    status: int  # 0: no response (connection error or timeout)


@dataclass
class LoadResult:
    pages: list[Page]
    skipped: dict[str, str]
    samples: list[Sample] = field(default_factory=list)
    seconds: float = 0.0
    startup_s: float = 0.0
    inspect_s: float = 0.0
    command: str = ""
    alone: dict[str, float] = field(default_factory=dict)  # kind -> seconds, one client alone

    def summary(self) -> dict[str, dict[str, object]]:
        table: dict[str, dict[str, object]] = {}
        for page in self.pages:
            mine = [sample for sample in self.samples if sample.kind == page.kind]
            good = [sample.seconds * 1000 for sample in mine if 200 <= sample.status < 400]
            table[page.kind] = {
                "path": page.paths[0],
                "requests": len(mine),
                "errors": len(mine) - len(good),
                "statuses": _status_counts(mine),
                "median_ms": round(percentile(good, 0.5), 1) if good else None,
                "p95_ms": round(percentile(good, 0.95), 1) if good else None,
                "max_ms": round(max(good), 1) if good else None,
                "alone_ms": round(self.alone[page.kind] * 1000, 1) if page.kind in self.alone else None,
                "note": page.note,
            }
        return table


def _status_counts(samples: list[Sample]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sample in samples:
        counts[str(sample.status)] = counts.get(str(sample.status), 0) + 1
    return dict(sorted(counts.items()))


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def pages(
    database: Path, metadata: dict[str, object], search_word: str, seed: int
) -> tuple[list[Page], dict[str, str]]:
    """The pages to read (each canned query is a kind of its own), and the kinds skipped with the reason."""
    name = database.stem
    found = [
        Page("table", (f"/{name}/fact",)),
        Page("facet", (f"/{name}/fact?_facet=predicate_id",)),
    ]
    note = "" if _fts_table(database) else "no full-text index on fact: Datasette ignores _search"
    found.append(Page("search", (f"/{name}/fact?_search={quote(search_word)}",), note))
    skipped: dict[str, str] = {}
    queries = _canned_queries(metadata, name)
    if not queries:
        skipped["canned query"] = "metadata.json defines no canned query"
    if queries:
        samples = Samples.of(database, seed)
        for query, sql in queries.items():
            paths = tuple(_query_path(name, query, sql, samples, number) for number in range(20))
            found.append(Page(f"query {query}", paths, _parameter_note(sql)))
    found.append(Page("row", tuple(f"/{name}/fact/{quote(fact_id)}" for fact_id in _sample_ids(database, seed))))
    return found + project_pages(database, seed), skipped


def project_pages(database: Path, seed: int) -> list[Page]:
    """The project's own pages (plugins/factdb_pages.py, plugins/entity_pages.py), each a kind:
    the busiest and a quiet one where it matters (a hub entity, a busy pair of countries, the
    timeline of every year and zoomed into a year or a month of one country)."""
    rng = Random(f"{seed}/project-pages")
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        sources = [row[0] for row in connection.execute("SELECT id FROM source ORDER BY id")]
        hub = connection.execute(_HUB).fetchone()
        pair = connection.execute(_BUSY_PAIR).fetchone()
        years = [row[0] for row in connection.execute(_BUSY_YEARS)]
        hub_months = [row[0] for row in connection.execute(_HUB_MONTHS, (hub[0] if hub else "",))]
        marks = ", ".join("?" * 40)
        quiet = [
            row[0]
            for row in connection.execute(
                f"SELECT DISTINCT subject_id FROM fact WHERE id IN ({marks})", _sample_ids(database, seed, 40)
            )
        ]
    hub_id = hub[0] if hub else "country:vietnam"
    picked = rng.sample(sources, min(len(sources), 40)) or ["missing"]
    return [
        Page("timeline", ("/-/timeline",)),
        Page(
            "timeline zoomed",
            tuple(f"/-/timeline?period={year}" for year in years)
            + tuple(f"/-/timeline?{urlencode({'country': hub_id, 'period': month})}" for month in hub_months),
            "a busy year of every country, or a busy month of the hub",
        ),
        Page("sources", ("/-/sources", *(f"/-/sources?after={quote(source)}" for source in picked[:10]))),
        Page("source page", tuple(f"/-/sources/{quote(source)}" for source in picked)),
        Page("coverage", ("/-/coverage", *(f"/-/coverage?after={quote(source)}" for source in picked[:10]))),
        Page("entity hub", (f"/-/entities/{quote(hub_id, safe=':')}",), f"{hub_id}, the entity of the most facts"),
        Page(
            "entity",
            tuple(f"/-/entities/{quote(entity, safe=':')}" for entity in quiet or [hub_id]),
            "subjects of sampled facts",
        ),
        Page(
            "relations busy pair",
            (f"/-/relations/{quote(pair[0], safe=':')}/{quote(pair[1], safe=':')}",)
            if pair
            else ("/-/relations/country:japan/country:vietnam",),
            f"{pair[0]} and {pair[1]}, the pair of the most facts" if pair else "",
        ),
        Page("network", ("/-/network",)),
    ]


# The entity involved in the most dated facts (entity_year: a row per entity and year).
_HUB = "SELECT entity_id FROM entity_year GROUP BY entity_id ORDER BY sum(facts) DESC, entity_id LIMIT 1"
_BUSY_PAIR = """
SELECT country_id, other_country_id FROM country_pair_fact GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1
"""
_BUSY_YEARS = """
SELECT period FROM timeline_count WHERE country_id = '' AND length(period) = 4
GROUP BY period ORDER BY sum(facts) DESC, period LIMIT 5
"""
_HUB_MONTHS = """
SELECT period FROM timeline_count WHERE country_id = ? AND length(period) = 7
GROUP BY period ORDER BY sum(facts) DESC, period LIMIT 5
"""


@dataclass(frozen=True)
class Samples:
    """Values a reader would type into a canned query's form, taken from the database."""

    entity_names: list[str]
    countries: list[str]
    speakers: list[str]
    source_ids: list[str]
    years: list[str]

    @classmethod
    def of(cls, database: Path, seed: int) -> Samples:
        rng = Random(f"{seed}/parameters")
        with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
            ids = _sample_ids(database, seed, 40)
            marks = ", ".join("?" * len(ids))
            subjects = connection.execute(
                f"SELECT e.name, f.predicate_id FROM fact AS f JOIN entity AS e ON e.id = f.subject_id "
                f"WHERE f.id IN ({marks}) ORDER BY f.id",
                ids,
            ).fetchall()
            countries = [row[0] for row in connection.execute(_POPULAR_COUNTRIES)]
            sources = [row[0] for row in connection.execute("SELECT id FROM source ORDER BY id")]
        speakers = [name for name, predicate in subjects if predicate in {"stated", "position_on"}]
        return cls(
            entity_names=[name for name, _ in subjects] or ["Vietnam"],
            countries=countries or ["Vietnam", "Japan"],
            speakers=speakers or [name for name, _ in subjects] or ["Vietnam"],
            source_ids=rng.sample(sources, min(len(sources), 40)) or ["missing"],
            years=["", "", *(str(year) for year in range(2010, 2021))],
        )

    def value(self, parameter: str, rng: Random) -> str:
        """A likely value for a parameter, recognised by its name; empty when unknown."""
        lowered = parameter.lower()
        if "country" in lowered:
            return rng.choice(self.countries)
        if "source" in lowered and "min" not in lowered:
            return rng.choice(self.source_ids)
        if "speaker" in lowered:
            return rng.choice(self.speakers)
        if "year" in lowered:
            return rng.choice(self.years)
        if "min" in lowered:
            return rng.choice(("", "2", "3"))
        if "name" in lowered or "entity" in lowered:
            return rng.choice(self.entity_names)
        return ""


_POPULAR_COUNTRIES = """
SELECT e.name FROM entity AS e
WHERE e.type = 'country'
ORDER BY (SELECT count(*) FROM fact WHERE subject_id = e.id) DESC, e.name
LIMIT 10
"""
_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


def _query_path(database: str, query: str, sql: str, samples: Samples, number: int) -> str:
    rng = Random(f"{query}/{number}")
    parameters = sorted(set(_PARAMETER.findall(sql)))
    values = {parameter: samples.value(parameter, rng) for parameter in parameters}
    # timeline_between needs two different countries
    if len(samples.countries) > 1 and values.get("country_a") and values.get("country_a") == values.get("country_b"):
        values["country_b"] = next(c for c in samples.countries if c != values["country_a"])
    return f"/{database}/{quote(query)}" + (f"?{urlencode(values)}" if values else "")


def _parameter_note(sql: str) -> str:
    parameters = sorted(set(_PARAMETER.findall(sql)))
    return f"parameters {', '.join(parameters)} filled from the data" if parameters else ""


def _fts_table(database: Path) -> str | None:
    """The full-text table Datasette would use for ?_search= on fact, found as Datasette finds it."""
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        return detect_fts(connection, "fact")


def _canned_queries(metadata: dict[str, object], name: str) -> dict[str, str]:
    """Canned query name -> its SQL, from metadata.json."""
    databases = metadata.get("databases")
    database = databases.get(name, {}) if isinstance(databases, dict) else {}
    queries = database.get("queries", {}) if isinstance(database, dict) else {}
    if not isinstance(queries, dict):
        return {}
    return {query: str(body.get("sql", "")) if isinstance(body, dict) else str(body) for query, body in queries.items()}


def _sample_ids(database: Path, seed: int, count: int = 200) -> list[str]:
    """Fact ids spread over the table, found by random rowid (no OFFSET scans)."""
    rng = Random(f"{seed}/rows")
    with contextlib.closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        (highest,) = connection.execute("SELECT max(rowid) FROM fact").fetchone()
        ids: list[str] = []
        for _ in range(count * 3):
            row = connection.execute("SELECT id FROM fact WHERE rowid = ?", (rng.randint(1, highest or 1),)).fetchone()
            if row:
                ids.append(row[0])
            if len(ids) == count:
                break
    return ids or ["missing"]


def server_command(database: Path, port: int, log: Path) -> tuple[list[str], float]:
    """The production serve command and the seconds spent preparing it (the inspect file).

    factdb.publishing.serve_command is the command `build.py serve` runs (immutable, inspect
    file, metadata, plugins, templates, SERVE_SETTINGS); a project without it is served with
    metadata.json and SERVE_SETTINGS.
    """
    from factdb import publishing

    started = time.perf_counter()
    if hasattr(publishing, "serve_command"):
        command = publishing.serve_command(database, HOST, port)
        return list(command), time.perf_counter() - started
    inspect_file = database.with_name("inspect.json")
    with log.open("ab") as output:
        subprocess.run(
            [sys.executable, "-m", "datasette", "inspect", str(database), "--inspect-file", str(inspect_file)],
            check=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    command = [
        *(sys.executable, "-m", "datasette", "serve", "--immutable", str(database)),
        *("--inspect-file", str(inspect_file), "--metadata", str(publishing.PROJECT / "metadata.json")),
        *("--host", HOST, "--port", str(port), *publishing.SERVE_SETTINGS),
    ]
    return command, time.perf_counter() - started


@contextlib.contextmanager
def datasette(database: Path, log: Path, extra: tuple[str, ...] = ()) -> Iterator[tuple[int, float, float, list[str]]]:
    """Start and finally stop a Datasette server; yields (port, inspect s, startup s, command)."""
    port = free_port()
    command, inspect_s = server_command(database, port, log)
    command = [*command, *extra]
    with log.open("ab") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        started = time.perf_counter()
        _wait_until_ready(server, port)
        yield port, inspect_s, time.perf_counter() - started, command
    finally:
        _stop(server)


def _wait_until_ready(server: subprocess.Popen[bytes], port: int, limit: float = 180.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"datasette exited with code {server.returncode} before serving")
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/-/versions.json")
            if connection.getresponse().status == 200:
                connection.close()
                return
        time.sleep(0.2)
    raise RuntimeError(f"datasette did not answer on port {port} within {limit:.0f} s")


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server we started (its own process group), forcefully if it lingers."""
    if server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=15)


@dataclass(frozen=True)
class Plan:
    port: int
    pages: list[Page]
    readers: int
    seconds: float
    cap: int  # requests per reader at most
    timeout: float = 30.0


def get(connection: http.client.HTTPConnection, path: str) -> int:
    connection.request("GET", path)
    response = connection.getresponse()
    response.read()
    return response.status


def _reader(plan: Plan, number: int, deadline: float, samples: list[Sample], lock: threading.Lock) -> None:
    rng = Random(f"reader/{number}")
    mine: list[Sample] = []
    connection = http.client.HTTPConnection(HOST, plan.port, timeout=plan.timeout)
    for request in range(plan.cap):
        if time.monotonic() >= deadline:
            break
        page = plan.pages[(number + request) % len(plan.pages)]
        started = time.perf_counter()
        try:
            status = get(connection, rng.choice(page.paths))
        except (OSError, http.client.HTTPException):
            status = 0
            connection.close()
            connection = http.client.HTTPConnection(HOST, plan.port, timeout=plan.timeout)
        mine.append(Sample(page.kind, time.perf_counter() - started, status))
    connection.close()
    with lock:
        samples.extend(mine)


def alone(plan: Plan, repeats: int = 3) -> dict[str, float]:
    """Each page read by one client with nobody else on the server: the median of `repeats`
    requests after one warm-up request (the first hit of a page is not what readers see)."""
    connection = http.client.HTTPConnection(HOST, plan.port, timeout=120)
    medians: dict[str, float] = {}
    for page in plan.pages:
        timings = []
        for attempt in range(repeats + 1):
            started = time.perf_counter()
            try:
                get(connection, page.paths[attempt % len(page.paths)])
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(HOST, plan.port, timeout=120)
                continue
            if attempt:
                timings.append(time.perf_counter() - started)
        if timings:
            medians[page.kind] = statistics.median(timings)
    connection.close()
    return medians


def run_readers(plan: Plan) -> tuple[list[Sample], float]:
    """Every reader in its own thread until the deadline; returns the samples and the time taken."""
    samples: list[Sample] = []
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = time.monotonic() + plan.seconds
    threads = [
        threading.Thread(target=_reader, args=(plan, number, deadline, samples, lock), daemon=True)
        for number in range(plan.readers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(plan.seconds + plan.timeout + 30)
    return samples, time.perf_counter() - started


def load_test(database: Path, metadata: Path, options: LoadOptions, log: Path) -> LoadResult:
    """Serve the database and read it with concurrent clients; the server is always stopped."""
    found, skipped = pages(database, json.loads(metadata.read_text()), options.search_word, options.seed)
    result = LoadResult(found, skipped)
    with datasette(database, log, options.extra) as (port, inspect_s, startup_s, command):
        result.inspect_s, result.startup_s = inspect_s, startup_s
        result.command = " ".join(Path(part).name if part.startswith("/") else part for part in command)
        plan = Plan(port, found, options.readers, options.seconds, options.cap)
        result.alone = alone(plan)
        result.samples, result.seconds = run_readers(plan)
    return result


@dataclass(frozen=True)
class LoadOptions:
    readers: int
    seconds: float
    cap: int
    search_word: str
    seed: int
    extra: tuple[str, ...] = ()  # appended to the serve command, e.g. ("--setting", "suggest_facets", "off")
