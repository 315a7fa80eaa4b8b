"""Datasette served by more than one process: the one-machine form of stateless replicas.

Datasette renders every page in one Python process, so one server uses one core however many
the machine has. The database is immutable and Datasette keeps no state between requests, so
identical processes can answer any request: uvicorn starts `--workers` of them on one socket
and the kernel hands each connection to one. Run as a script (publishing.serve_command does),
with the options of `datasette serve` that the project uses:

    python factdb/serving.py facts.db --inspect-file facts-inspect.json --metadata metadata.json \\
        --plugins-dir plugins --template-dir templates --host 127.0.0.1 --port 8001 --workers 2 \\
        --setting sql_time_limit_ms 2000

A request carrying SQL of the client's own (`?sql=` on the database page, `?_where=` on a table
page) may run until sql_time_limit_ms. Run by a worker, it held up every other request of that
worker for as long, and four such clients held both (other pages: 11 ms to 3 s, bench/RESULTS.md).
Run in a thread of the worker, it was no better: the time limit's check, called by SQLite every
thousand steps, takes Python's lock so often that the worker's own thread waited seconds for
it. So such requests go to a process of their own, the lane, over a Unix socket: it runs one
at a time (the others wait their turn there), and the workers go on serving every other page.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import uvicorn
from datasette.app import Datasette
from datasette.cli import Setting
from uvicorn.supervisors import Multiprocess

PROJECT = Path(__file__).resolve().parent.parent
# How the launcher hands its options to the worker processes, which uvicorn starts afresh.
OPTIONS_VARIABLE = "FACTDB_SERVING_OPTIONS"


def app() -> Any:
    """The ASGI application of one worker (a uvicorn factory), configured by the launcher:
    Datasette, except for requests carrying SQL of the client's own, sent on to the lane."""
    # Connections shared between the workers: taken one at a time by each.
    private_patches().accept_one_connection_a_turn()
    options = json.loads(os.environ[OPTIONS_VARIABLE])
    pages = _datasette(options).app()
    lane = httpx.AsyncClient(
        transport=httpx.AsyncHTTPTransport(uds=options["lane_socket"]),
        base_url="http://lane",
        # The lane runs one query at a time: a request may wait for those queued before it.
        timeout=httpx.Timeout(LANE_WAIT_S),
    )

    async def route(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and _has_own_sql(scope):
            await _forward(lane, scope, receive, send)
        else:
            await pages(scope, receive, send)

    return route


def lane_app() -> Any:
    """The ASGI application of the lane (a uvicorn factory): the same Datasette."""
    return _datasette(json.loads(os.environ[OPTIONS_VARIABLE])).app()


# Query-string parameters by which a client sends SQL of its own: a whole query on the database
# page, or a WHERE clause on a table page.
OWN_SQL_PARAMETERS = {"sql", "_where"}
# How long a request waits for the lane (its turn, then its query) before the reader is told so.
LANE_WAIT_S = 60.0
LANE_START_S = 60.0
# Headers of one connection, not of the request or response they carry (RFC 9110, 7.6.1).
_HOP_BY_HOP = {b"connection", b"keep-alive", b"transfer-encoding", b"upgrade", b"proxy-connection", b"te"}


def _has_own_sql(scope: dict[str, Any]) -> bool:
    parameters = urllib.parse.parse_qs(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    return not OWN_SQL_PARAMETERS.isdisjoint(parameters)


async def _forward(lane: httpx.AsyncClient, scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Send the request to the lane as it came, and its answer back as it comes."""
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    path = scope.get("raw_path") or scope["path"].encode()
    target = path + (b"?" + scope["query_string"] if scope.get("query_string") else b"")
    headers = [(name, value) for name, value in scope["headers"] if name.lower() not in _HOP_BY_HOP]
    request = lane.build_request(scope["method"], target.decode("latin-1"), headers=headers, content=body)
    try:
        response = await lane.send(request, stream=True)
    except httpx.HTTPError as error:
        message = f"The server could not run this query now ({type(error).__name__}); try again later.".encode()
        await send({"type": "http.response.start", "status": 503, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": message})
        return
    try:
        kept = [(name, value) for name, value in response.headers.raw if name.lower() not in _HOP_BY_HOP]
        await send({"type": "http.response.start", "status": response.status_code, "headers": kept})
        async for chunk in response.aiter_raw():
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    finally:
        await response.aclose()


def _datasette(options: dict[str, Any]) -> Datasette:
    return Datasette(
        immutables=[options["database"]],
        inspect_data=json.loads(Path(options["inspect_file"]).read_text(encoding="utf-8")),
        metadata=json.loads(Path(options["metadata"]).read_text(encoding="utf-8")),
        plugins_dir=options["plugins_dir"],
        template_dir=options["template_dir"],
        settings=options["settings"],
        # One secret for all processes: what one signs (a CSRF token), another must accept.
        secret=options["secret"],
    )


def private_patches() -> ModuleType:
    """plugins/private_patches.py, where every private method is replaced (a plugin file, so that
    the published site, which has only plugins/, has it too; loaded here by its path)."""
    spec = importlib.util.spec_from_file_location("factdb_private_patches", PROJECT / "plugins" / "private_patches.py")
    assert spec is not None and spec.loader is not None  # a file of this project
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("database", type=Path)
    for option in ("--inspect-file", "--metadata", "--plugins-dir", "--template-dir"):
        parser.add_argument(option, type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    return parser


def main(argv: list[str] | None = None) -> None:
    arguments = _parser().parse_args(argv)
    # Datasette's own conversion of `--setting NAME VALUE`, so that a bad one fails here, once.
    settings = dict(Setting().convert(tuple(setting), None, None) for setting in arguments.setting)
    options = {
        "database": str(arguments.database.resolve()),
        "inspect_file": str(arguments.inspect_file.resolve()),
        "metadata": str(arguments.metadata.resolve()),
        "plugins_dir": str(arguments.plugins_dir.resolve()),
        "template_dir": str(arguments.template_dir.resolve()),
        "settings": settings,
        "secret": secrets.token_hex(32),
    }
    with tempfile.TemporaryDirectory(prefix="factdb-lane-") as folder:
        options["lane_socket"] = str(Path(folder) / "lane.sock")
        os.environ[OPTIONS_VARIABLE] = json.dumps(options)
        sys.path.insert(0, str(PROJECT))  # where workers, started afresh with this path, import this module
        lane = _start_lane(Path(options["lane_socket"]))
        try:
            _serve(arguments)
        finally:
            lane.terminate()
            lane.wait()


def _start_lane(socket_path: Path) -> subprocess.Popen[bytes]:
    """The lane's process (uvicorn's own command line, one process), ready once its socket is."""
    command = [sys.executable, "-m", "uvicorn", "factdb.serving:lane_app", "--factory", "--uds", str(socket_path)]
    lane = subprocess.Popen([*command, "--log-level", "warning"], cwd=PROJECT)
    deadline = time.monotonic() + LANE_START_S
    while not socket_path.exists():
        if lane.poll() is not None or time.monotonic() > deadline:
            lane.kill()
            raise SystemExit(f"the lane for queries of the clients' own did not start (exit code {lane.poll()})")
        time.sleep(0.05)
    return lane


def _serve(arguments: argparse.Namespace) -> None:
    config = _TcpConfig(
        "factdb.serving:app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        lifespan="on",
        log_level="info",  # as `datasette serve`: where it listens, and each request
    )
    if config.workers > 1:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
    else:
        uvicorn.Server(config).run()


class _TcpConfig(uvicorn.Config):
    """uvicorn's configuration, with a listening socket that says it is TCP.

    uvicorn binds the socket it shares between workers with protocol 0 (Kludex/uvicorn#3149),
    and asyncio sets TCP_NODELAY only on connections of a socket marked IPPROTO_TCP: without it
    every keep-alive response after the first waits about 40 ms for the client's delayed ACK.
    """

    def bind_socket(self) -> socket.socket:
        bound = super().bind_socket()
        return socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())


if __name__ == "__main__":
    main()
